import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { SubjectKind } from '@jrp/contracts';
import { Entry } from './entry';

export interface KnownListType {
  code: string;
  name: string;
  colour: 'red' | 'black';
  identifyingOrganization: string;
  subjectKinds: SubjectKind[];
  repairable: boolean;
  defaultValidityDays: number | null;
}

const COLUMNS = `id, seq, version, list_type AS "listType", status, disputed, subject_key AS "subjectKey", subject_kind AS "subjectKind",
  subject_name AS "subjectName", subject_uscc AS "subjectUscc", subject_id_type AS "subjectIdType",
  subject_id_number_encrypted AS "subjectIdNumberEncrypted", subject_id_number_masked AS "subjectIdNumberMasked",
  legal_rep_name AS "legalRepName", legal_rep_id_type AS "legalRepIdType", legal_rep_id_number_encrypted AS "legalRepIdNumberEncrypted",
  legal_rep_id_number_masked AS "legalRepIdNumberMasked", reason, decided_by AS "decidedBy", identification_level AS "identificationLevel",
  document_no AS "documentNo", to_char(listed_at, 'YYYY-MM-DD') AS "listedAt", to_char(valid_until, 'YYYY-MM-DD') AS "validUntil",
  amount::text AS amount, region, published_by AS "publishedBy", commitment, training`;

/** Column order of inserts and updates, and how an Entry fills them. */
const WRITE_COLUMNS = [
  'id',
  'version',
  'list_type',
  'status',
  'disputed',
  'subject_key',
  'subject_kind',
  'subject_name',
  'subject_uscc',
  'subject_id_type',
  'subject_id_number_encrypted',
  'subject_id_number_masked',
  'legal_rep_name',
  'legal_rep_id_type',
  'legal_rep_id_number_encrypted',
  'legal_rep_id_number_masked',
  'reason',
  'decided_by',
  'identification_level',
  'document_no',
  'listed_at',
  'valid_until',
  'amount',
  'region',
  'published_by',
  'commitment',
  'training',
] as const;

const valuesOf = (e: Entry): unknown[] => [
  e.id,
  e.version,
  e.listType,
  e.status,
  e.disputed,
  e.subjectKey,
  e.subjectKind,
  e.subjectName,
  e.subjectUscc,
  e.subjectIdType,
  e.subjectIdNumberEncrypted,
  e.subjectIdNumberMasked,
  e.legalRepName,
  e.legalRepIdType,
  e.legalRepIdNumberEncrypted,
  e.legalRepIdNumberMasked,
  e.reason,
  e.decidedBy,
  e.identificationLevel,
  e.documentNo,
  e.listedAt,
  e.validUntil,
  e.amount,
  e.region,
  e.publishedBy,
  e.commitment ? JSON.stringify(e.commitment) : null,
  e.training ? JSON.stringify(e.training) : null,
];

/** list_entries and their copy of the catalogue. Set-based where a batch fans out. */
@Injectable()
export class ListEntriesRepository {
  constructor(@InjectDataSource('list-ingestion') private readonly dataSource: DataSource) {}

  async listType(m: EntityManager | DataSource, code: string): Promise<KnownListType | undefined> {
    const [row] = await m.query<KnownListType[]>(
      `SELECT code, name, colour, identifying_organization AS "identifyingOrganization", subject_kinds AS "subjectKinds",
              repairable, default_validity_days AS "defaultValidityDays"
       FROM known_list_types WHERE code = $1 OR name = $1`,
      [code],
    );
    return row;
  }

  async find(id: string, m: EntityManager | DataSource = this.dataSource): Promise<Entry | undefined> {
    const [row] = await m.query<Entry[]>(`SELECT ${COLUMNS} FROM list_entries WHERE id = $1`, [id]);
    return row;
  }

  async lock(m: EntityManager, id: string): Promise<Entry | undefined> {
    const [row] = await m.query<Entry[]>(`SELECT ${COLUMNS} FROM list_entries WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  /** The entries with these identities (list type, subject key, document number), locked. */
  async lockByIdentity(
    m: EntityManager,
    identities: { listType: string; subjectKey: string; documentNo: string }[],
  ): Promise<Entry[]> {
    if (identities.length === 0) return [];
    return m.query(
      `SELECT ${COLUMNS} FROM list_entries
       WHERE (list_type, subject_key, document_no) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
       ORDER BY id FOR UPDATE`,
      [identities.map((i) => i.listType), identities.map((i) => i.subjectKey), identities.map((i) => i.documentNo)],
    );
  }

  /** Inserts new entries; returns the ids inserted (an identity taken meanwhile is skipped). */
  async insertMany(m: EntityManager, entries: Entry[]): Promise<Set<string>> {
    const ids = new Set<string>();
    // at most 65,535 parameters a statement: 1,000 rows of 27 at a time
    for (let i = 0; i < entries.length; i += 1000) {
      for (const id of await this.insertChunk(m, entries.slice(i, i + 1000))) ids.add(id);
    }
    return ids;
  }

  private async insertChunk(m: EntityManager, entries: Entry[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const values: unknown[] = [];
    const rows = entries.map((e) => {
      const base = values.length;
      values.push(...valuesOf(e));
      return `(${WRITE_COLUMNS.map((_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO list_entries (${WRITE_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}
       ON CONFLICT (list_type, subject_key, document_no) DO NOTHING RETURNING id`,
      values,
    );
    return inserted.map((r) => r.id);
  }

  /** Writes a new version of an entry (the caller holds its lock). */
  async update(m: EntityManager, e: Entry, statusChanged: boolean): Promise<void> {
    const sets = WRITE_COLUMNS.slice(1).map((c, i) => `${c} = $${i + 2}`);
    await m.query(
      `UPDATE list_entries SET ${sets.join(', ')}, updated_at = now()${statusChanged ? ', status_changed_at = now()' : ''} WHERE id = $1`,
      valuesOf(e),
    );
  }

  /** Active or watch entries of a list type published by an organisation, except these ids, locked. */
  async lockAbsentFromFullPush(
    m: EntityManager,
    listType: string,
    publishedBy: string,
    present: string[],
  ): Promise<Entry[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM list_entries
       WHERE list_type = $1 AND published_by = $2 AND status IN ('active', 'watch') AND NOT (id = ANY($3::uuid[]))
       ORDER BY id FOR UPDATE`,
      [listType, publishedBy, present],
    );
  }

  /** Entries past their last valid day, locked; entries another replica holds are skipped. */
  async lockExpired(m: EntityManager, today: string, limit: number): Promise<Entry[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM list_entries WHERE status IN ('active', 'watch') AND valid_until < $1::date
       ORDER BY valid_until, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [today, limit],
    );
  }

  columns(): string {
    return COLUMNS;
  }
}
