import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { IdentificationLevel, ListTypeRules, SubjectKind } from '@jrp/contracts';
import { DatabaseRepository, Table } from '@jrp/database';
import { PROVINCE_CODE } from '@jrp/domain';
import { Entry } from './entry';
import { EntryHistoryRow, listEntryHistory } from './entry-history.repository';

/** A list type as list-ingestion knows it, with its complete rule set (`listTypeRules` fills in what old catalogues lack). */
/** The rule set without the facilitations withheld: the counter check (measures) reads those, not list-ingestion. */
export interface KnownListType extends Omit<ListTypeRules, 'withheldFacilitations'> {
  code: string;
  name: string;
  colour: 'red' | 'black';
  identifyingOrganization: string;
  subjectKinds: SubjectKind[];
  repairable: boolean;
  defaultValidityDays: number | null;
}

/** `known_list_types`: list-ingestion's copy of the catalogue's list types, with the catalogue version it came from. */
export const knownListTypes = new Table<KnownListType & { catalogueVersion: number }>('known_list_types', {
  code: 'code',
  name: 'name',
  colour: 'colour',
  identifyingOrganization: 'identifying_organization',
  subjectKinds: 'subject_kinds',
  repairable: 'repairable',
  defaultValidityDays: 'default_validity_days',
  catalogueVersion: 'catalogue_version',
  procedure: 'procedure',
  repairPath: 'repair_path',
  grades: { column: 'grades', cast: 'jsonb' },
  defaultGrade: 'default_grade',
  objectionHoldsMeasures: 'objection_holds_measures',
  basis: { column: 'basis', cast: 'jsonb' },
  removalConditions: 'removal_conditions',
  remedies: 'remedies',
  repairDecisionWorkingDays: 'repair_decision_working_days',
});

/** `list_entries`: one row per entry, its latest version (dates read as `YYYY-MM-DD`, the amount as text). */
export const listEntries = new Table<Entry>('list_entries', {
  id: 'id',
  seq: { column: 'seq', generated: true },
  version: 'version',
  listType: 'list_type',
  status: 'status',
  disputed: 'disputed',
  subjectKey: 'subject_key',
  subjectKind: 'subject_kind',
  subjectName: 'subject_name',
  subjectUscc: 'subject_uscc',
  subjectIdType: 'subject_id_type',
  subjectIdNumberEncrypted: 'subject_id_number_encrypted',
  subjectIdNumberMasked: 'subject_id_number_masked',
  legalRepName: 'legal_rep_name',
  legalRepIdType: 'legal_rep_id_type',
  legalRepIdNumberEncrypted: 'legal_rep_id_number_encrypted',
  legalRepIdNumberMasked: 'legal_rep_id_number_masked',
  reason: 'reason',
  decidedBy: 'decided_by',
  identificationLevel: 'identification_level',
  documentNo: 'document_no',
  listedAt: { column: 'listed_at', read: "to_char($, 'YYYY-MM-DD')" },
  validUntil: { column: 'valid_until', read: "to_char($, 'YYYY-MM-DD')" },
  amount: { column: 'amount', read: '$::text' },
  region: 'region',
  publishedBy: 'published_by',
  commitment: { column: 'commitment', cast: 'jsonb' },
  training: { column: 'training', cast: 'jsonb' },
  grade: 'grade',
  publicUntil: { column: 'public_until', read: "to_char($, 'YYYY-MM-DD')" },
  repairableFrom: { column: 'repairable_from', read: "to_char($, 'YYYY-MM-DD')" },
  notice: { column: 'notice', cast: 'jsonb' },
  statementDeadline: { column: 'statement_deadline', read: "to_char($, 'YYYY-MM-DD')" },
  statement: { column: 'statement', cast: 'jsonb' },
  decision: { column: 'decision', cast: 'jsonb' },
});

/**
 * SQL: the division code in `column` lies in the city given as parameter `param` (a city's code), or
 * the parameter is NULL (the whole province). `EntryScope.city` in SQL: every stored region is a real
 * division, whose city is its first four digits and 00, the province excepted (see `cityOf`).
 */
export const regionInCity = (column: string, param: string) =>
  `(${param}::text IS NULL OR (${column} <> '${PROVINCE_CODE}' AND left(${column}, 4) || '00' = ${param}))`;

/** SQL: the entry `e`'s list type ends publication by `publicUntil` (repair on application, 2025). */
const BY_PUBLICATION = `EXISTS (SELECT 1 FROM known_list_types t WHERE t.code = e.list_type AND t.repair_path = 'application-2025')`;

/** What an update rewrites: every written column but the id, which selects the row. */
const UPDATED = listEntries.writable().filter((key) => key !== 'id');
const UPDATE_SET = UPDATED.map((key, i) => `${listEntries.column(key)} = ${listEntries.placeholder(key, i + 2)}`).join(
  ', ',
);

/** The history row's written properties but the entry's id, which comes from the insert (see `insertJournalled`). */
const HISTORY_KEYS = listEntryHistory.writable().filter((key) => key !== 'entryId');

/** list_entries and their copy of the catalogue, in the transaction open here. Set-based where a batch fans out. */
@Injectable()
export class ListEntriesRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  /** A list type by its code or its name. */
  async listType(code: string): Promise<KnownListType | undefined> {
    const [row] = await this.query<KnownListType[]>(
      `SELECT ${knownListTypes.selectList()} FROM known_list_types WHERE code = $1 OR name = $1`,
      [code],
    );
    return row;
  }

  async find(id: string): Promise<Entry | undefined> {
    const [row] = await this.query<Entry[]>(`SELECT ${listEntries.selectList()} FROM list_entries WHERE id = $1`, [id]);
    return row;
  }

  async lock(id: string): Promise<Entry | undefined> {
    const [row] = await this.query<Entry[]>(
      `SELECT ${listEntries.selectList()} FROM list_entries WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  /** The entries with these identities (list type, subject key, document number), locked. */
  async lockByIdentity(identities: { listType: string; subjectKey: string; documentNo: string }[]): Promise<Entry[]> {
    if (identities.length === 0) return [];
    return this.query<Entry[]>(
      `SELECT ${listEntries.selectList()} FROM list_entries
       WHERE (list_type, subject_key, document_no) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
       ORDER BY id FOR UPDATE`,
      [identities.map((i) => i.listType), identities.map((i) => i.subjectKey), identities.map((i) => i.documentNo)],
    );
  }

  /** Inserts new entries in one statement; returns the ids inserted (an identity taken meanwhile is skipped). */
  async insertMany(entries: Entry[]): Promise<Set<string>> {
    const inserted = await this.insertUnnested<Entry, { id: string }>(listEntries, entries, {
      onConflict: '(list_type, subject_key, document_no) DO NOTHING',
      returning: 'id',
    });
    return new Set(inserted.map((r) => r.id));
  }

  /**
   * Inserts a new entry, its history row and its events (`events`: the outbox's part, given the first
   * free parameter and the condition to write on) in one statement, atomic on its own; when the entry's
   * identity is taken nothing is written. True when inserted.
   */
  async insertJournalled(
    e: Entry,
    history: EntryHistoryRow,
    events: (params: unknown[], condition: string) => string,
  ): Promise<boolean> {
    const parameters: unknown[] = [];
    const entryValues = listEntries.bind(e, parameters);
    const historyValues = listEntryHistory.bind(history, parameters, HISTORY_KEYS);
    const outbox = events(parameters, 'EXISTS (SELECT 1 FROM new_entry)');
    const rows = await this.query<{ id: string }[]>(
      `WITH new_entry AS (INSERT INTO list_entries (${listEntries.columnList()}) VALUES (${entryValues})
         ON CONFLICT (list_type, subject_key, document_no) DO NOTHING RETURNING id),
       new_history AS (INSERT INTO list_entry_history (${listEntryHistory.columnList(['entryId', ...HISTORY_KEYS])})
         SELECT id, ${historyValues} FROM new_entry),
       ${outbox}
       SELECT id FROM new_entry`,
      parameters,
    );
    return rows.length === 1;
  }

  /** Writes a new version of an entry (the caller holds its lock). */
  async update(e: Entry, statusChanged: boolean): Promise<void> {
    await this.query(
      `UPDATE list_entries SET ${UPDATE_SET}, updated_at = now()${statusChanged ? ', status_changed_at = now()' : ''} WHERE id = $1`,
      [e.id, ...listEntries.valuesOf(e, UPDATED)],
    );
  }

  /**
   * Active or watch entries of a list type published by an organisation, except these ids, locked; only
   * those in `city` (null: anywhere) at one of `levels`, the entries the publisher may still decide.
   */
  lockAbsentFromFullPush(
    listType: string,
    publishedBy: string,
    present: string[],
    scope: { city: string | null; levels: readonly IdentificationLevel[] },
    lock = true,
  ): Promise<Entry[]> {
    return this.query<Entry[]>(
      `SELECT ${listEntries.selectList()} FROM list_entries
       WHERE list_type = $1 AND published_by = $2 AND status IN ('active', 'watch') AND NOT (id = ANY($3::uuid[]))
         AND ${regionInCity('region', '$4')} AND identification_level = ANY($5::text[])
       ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
      [listType, publishedBy, present, scope.city, scope.levels],
    );
  }

  /** How many entries a full push of `listType` by `publishedBy` reaches (active or watch, in the scope): the base of its removal limit. */
  async countInFullPush(
    listType: string,
    publishedBy: string,
    scope: { city: string | null; levels: readonly IdentificationLevel[] },
  ): Promise<number> {
    const [row] = await this.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM list_entries
       WHERE list_type = $1 AND published_by = $2 AND status IN ('active', 'watch')
         AND ${regionInCity('region', '$3')} AND identification_level = ANY($4::text[])`,
      [listType, publishedBy, scope.city, scope.levels],
    );
    return row.n;
  }

  /**
   * Entries past their end, locked; entries another replica holds are skipped. The end is `publicUntil`
   * for a graded entry of a list type repaired on application (信用修复管理办法 2025: publication ends,
   * and with it the measures), `validUntil` otherwise (the 2018 path as it was).
   */
  lockExpired(today: string, limit: number): Promise<(Entry & { endsByPublication: boolean })[]> {
    return this.query<(Entry & { endsByPublication: boolean })[]>(
      `SELECT ${listEntries.selectList('e')}, (e.public_until IS NOT NULL AND ${BY_PUBLICATION}) AS "endsByPublication"
       FROM list_entries e
       WHERE e.status IN ('active', 'watch')
         AND ((e.valid_until < $1::date AND NOT (e.public_until IS NOT NULL AND ${BY_PUBLICATION}))
           OR (e.public_until < $1::date AND ${BY_PUBLICATION}))
       ORDER BY e.id LIMIT $2 FOR UPDATE OF e SKIP LOCKED`,
      [today, limit],
    );
  }
}
