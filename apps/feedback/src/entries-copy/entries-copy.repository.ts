import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

/** What feedback keeps of a list entry (no names, no identifiers). */
export interface KnownEntryRow {
  id: string;
  version: number;
  listType: string;
  subjectKind: string;
  national: boolean;
  city: string;
  /** The listing date, YYYY-MM-DD. */
  day: string;
  commitment: boolean;
  training: boolean;
}

/** `known_entries`: one row per list entry. */
export const knownEntries = new Table<KnownEntryRow>('known_entries', {
  id: 'id',
  version: 'version',
  listType: 'list_type',
  subjectKind: 'subject_kind',
  national: 'national',
  city: 'city',
  day: { column: 'listed_on', read: "to_char($, 'YYYY-MM-DD')" },
  commitment: 'commitment',
  training: 'training',
});

const ON_CHANGE = `(id) DO UPDATE SET ${knownEntries
  .writable()
  .filter((k) => k !== 'id')
  .map((k) => `${knownEntries.column(k)} = EXCLUDED.${knownEntries.column(k)}`)
  .join(', ')}`;

/** Feedback's copy of the list entries (known_entries). */
@Injectable()
export class EntriesCopyRepository extends DatabaseRepository {
  constructor(@InjectDataSource('feedback') dataSource: DataSource) {
    super(dataSource);
  }

  /** The entry as stored, its row locked for the rest of the transaction. */
  async lock(id: string): Promise<KnownEntryRow | undefined> {
    const [row] = await this.query<KnownEntryRow[]>(
      `SELECT ${knownEntries.selectList()} FROM known_entries WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  /** Writes the entry, over the stored one. */
  async save(entry: KnownEntryRow): Promise<void> {
    await this.insertRows(knownEntries, [entry], { onConflict: ON_CHANGE });
  }
}
