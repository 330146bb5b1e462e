import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

export interface KnownListTypeRow {
  code: string;
  name: string;
  colour: string;
}
export interface KnownOrganizationRow {
  code: string;
  name: string;
  level: string;
  region: string;
}
export interface KnownMemorandumRow {
  code: string;
  name: string;
}
export interface KnownMeasureRow {
  code: string;
  memorandum: string;
}

export const knownListTypes = new Table<KnownListTypeRow>('known_list_types', {
  code: 'code',
  name: 'name',
  colour: 'colour',
});
export const knownOrganizations = new Table<KnownOrganizationRow>('known_organizations', {
  code: 'code',
  name: 'name',
  level: 'level',
  region: 'region',
});
export const knownMemoranda = new Table<KnownMemorandumRow>('known_memoranda', { code: 'code', name: 'name' });
export const knownMeasures = new Table<KnownMeasureRow>('known_measures', { code: 'code', memorandum: 'memorandum' });

/** `(code) DO UPDATE SET …`: a catalogue row keyed by its code takes the published values. */
function byCode<Row extends object>(table: Table<Row>): string {
  const columns = table
    .writable()
    .map((k) => table.column(k))
    .filter((c) => c !== 'code');
  return `(code) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
}

/** What feedback keeps of the catalogue (known_list_types, known_organizations, known_memoranda, known_measures). */
@Injectable()
export class CatalogueCopyRepository extends DatabaseRepository {
  constructor(@InjectDataSource('feedback') dataSource: DataSource) {
    super(dataSource);
  }

  /** The version of the catalogue copied last, its row locked for the rest of the transaction. */
  async lockVersion(): Promise<number | undefined> {
    const [state] = await this.query<{ version: number }[]>(
      `SELECT version FROM catalogue_state WHERE id = 1 FOR UPDATE`,
    );
    return state?.version;
  }

  async saveVersion(version: number): Promise<void> {
    await this.query(
      `INSERT INTO catalogue_state (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = $1`,
      [version],
    );
  }

  // One statement per row: a code given twice in a catalogue is written twice, the last one staying.
  async saveListTypes(rows: KnownListTypeRow[]): Promise<void> {
    for (const row of rows) await this.insertRows(knownListTypes, [row], { onConflict: byCode(knownListTypes) });
  }

  async saveOrganization(row: KnownOrganizationRow): Promise<void> {
    await this.insertRows(knownOrganizations, [row], { onConflict: byCode(knownOrganizations) });
  }

  async saveMemoranda(rows: KnownMemorandumRow[]): Promise<void> {
    for (const row of rows) await this.insertRows(knownMemoranda, [row], { onConflict: byCode(knownMemoranda) });
  }

  /** Which memorandum each measure comes from, in one statement. */
  async saveMeasures(rows: KnownMeasureRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.query(
      `INSERT INTO known_measures (${knownMeasures.columnList()}) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (code) DO UPDATE SET memorandum = EXCLUDED.memorandum`,
      [rows.map((x) => x.code), rows.map((x) => x.memorandum)],
    );
  }
}
