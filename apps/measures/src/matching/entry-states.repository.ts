import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ListEntryChangedData, TaskSubjectData } from '@jrp/contracts';
import { DatabaseRepository, Table } from '@jrp/database';
import { REPORTED_STATUSES } from '../checks/check-answer';
import { PREFIXES_PER_NOTIFICATION, REPORTED_KEYS_CHANNEL } from '../checks/check-index/reported-keys';

/** What measures keeps of an entry (entry_states): enough to match it again when the catalogue changes. */
export interface EntryState {
  entryId: string;
  version: number;
  listType: string;
  status: ListEntryChangedData['status'];
  region: string;
  subject: TaskSubjectData;
  hasLegalRepresentative: boolean;
  disputed: boolean;
  /** The listing date (YYYY-MM-DD): where measures' terms (期限) start. */
  listedAt: string;
}

/** An entry_states row: the state matching reads, and what it writes besides. */
export interface EntryStateRow extends EntryState {
  subjectKey: string;
  validUntil: string | null;
  /** Keyed hash of the legal representative's ID number (法定代表人), as subjectKey('natural', …); null: none known. */
  representativeKey: string | null;
}

export const entryStates = new Table<EntryStateRow>('entry_states', {
  entryId: 'entry_id',
  version: 'version',
  status: 'status',
  listType: 'list_type',
  subjectKey: 'subject_key',
  region: 'region',
  listedAt: 'listed_at',
  validUntil: 'valid_until',
  subject: { column: 'subject', cast: 'jsonb' },
  hasLegalRepresentative: 'has_legal_representative',
  disputed: 'disputed',
  representativeKey: 'representative_key',
});

/** What matching reads of an entry's state (not the columns it writes for others). */
const STATE: readonly (keyof EntryState)[] = [
  'entryId',
  'version',
  'listType',
  'status',
  'region',
  'subject',
  'hasLegalRepresentative',
  'disputed',
  'listedAt',
];
const stateList = STATE.map((key) =>
  key === 'listedAt' ? `to_char(listed_at, 'YYYY-MM-DD') AS "listedAt"` : `${entryStates.column(key)} AS "${key}"`,
).join(', ');

/**
 * The net change of the reported entries' key prefixes when `changed` replaces the stored states of the
 * same entries, NOTIFYed on REPORTED_KEYS_CHANNEL (see there for the payload), a notification per
 * PREFIXES_PER_NOTIFICATION prefixes. The stored states are read under lock, so each one subtracted is
 * the one the upsert then replaces.
 */
const ANNOUNCE_REPORTED_KEYS = `WITH changed AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS c(entry_id, status, subject_key, representative_key)
), replaced AS (
  SELECT status, subject_key, representative_key FROM entry_states WHERE entry_id = ANY($1::uuid[]) FOR UPDATE
), deltas AS (
  SELECT left(k, 16) AS prefix, sum(d)::int AS delta FROM (
    SELECT subject_key AS k, 1 AS d FROM changed WHERE status = ANY($5::text[])
    UNION ALL SELECT representative_key, 1 FROM changed WHERE status = ANY($5::text[]) AND representative_key IS NOT NULL
    UNION ALL SELECT subject_key, -1 FROM replaced WHERE status = ANY($5::text[])
    UNION ALL SELECT representative_key, -1 FROM replaced WHERE status = ANY($5::text[]) AND representative_key IS NOT NULL
  ) x GROUP BY 1 HAVING sum(d) <> 0
), numbered AS (
  SELECT prefix || ':' || delta AS item, (row_number() OVER (ORDER BY prefix) - 1) / $7 AS chunk FROM deltas
)
SELECT pg_notify($6, concat_ws('|', current_schema(), pg_current_xact_id(), gen_random_uuid(), string_agg(item, ',')))
FROM numbered GROUP BY chunk`;

/** The entries measures has seen, as matching keeps them. */
@Injectable()
export class EntryStatesRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /** The stored versions of these entries, locked in entry order (the order every writer locks them in). */
  async lockVersions(entryIds: string[]): Promise<Map<string, number>> {
    const rows = await this.query<{ entryId: string; version: number }[]>(
      `SELECT entry_id AS "entryId", version FROM entry_states WHERE entry_id = ANY($1::uuid[]) ORDER BY entry_id FOR UPDATE`,
      [entryIds],
    );
    return new Map(rows.map((r) => [r.entryId, r.version]));
  }

  /**
   * Announces to every replica's check index (in this transaction, so on its commit) how the keys of
   * the reported entries change when `rows` are written: call it just before `upsert(rows)`.
   */
  async announceReported(rows: EntryStateRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.query(ANNOUNCE_REPORTED_KEYS, [
      rows.map((r) => r.entryId),
      rows.map((r) => r.status),
      rows.map((r) => r.subjectKey),
      rows.map((r) => r.representativeKey),
      REPORTED_STATUSES,
      REPORTED_KEYS_CHANNEL,
      PREFIXES_PER_NOTIFICATION,
    ]);
  }

  /** Writes the entries' states (new or newer versions), a thousand a statement. */
  async upsert(rows: EntryStateRow[]): Promise<void> {
    const updates = entryStates
      .writable()
      .filter((key) => key !== 'entryId')
      .map((key) => `${entryStates.column(key)} = EXCLUDED.${entryStates.column(key)}`);
    // updated_at: its default on insert, now() on update
    await this.insertRows(entryStates, rows, {
      onConflict: `(entry_id) DO UPDATE SET ${updates.join(', ')}, updated_at = now()`,
    });
  }

  /** One entry's state, locked (before its tasks: the order matching takes its locks in). */
  async lock(entryId: string): Promise<EntryState | undefined> {
    const [state] = await this.query<EntryState[]>(
      `SELECT ${stateList} FROM entry_states WHERE entry_id = $1 FOR UPDATE`,
      [entryId],
    );
    return state;
  }

  /** The next active entries after `after`, in entry order, locked. */
  lockActiveAfter(after: string, limit: number): Promise<EntryState[]> {
    return this.query<EntryState[]>(
      `SELECT ${stateList} FROM entry_states WHERE status = 'active' AND entry_id > $1 ORDER BY entry_id LIMIT $2 FOR UPDATE`,
      [after, limit],
    );
  }

  /**
   * Entries after `after` (in entry order, at most `limit`) with a task still standing one of whose
   * measures ran its term (期限届满) before `today`: the term job's candidates, read without locks. They are
   * found through the tasks' term index (`tasks_term_ends_on`), never by walking the entries and probing
   * each one's tasks, which reads every task (1.7 s a pass at 280,000 tasks, measured, and growing with
   * them); the CTE keeps the planner from that walk when the limit tempts it to read the tasks in entry
   * order.
   */
  async entriesWithEndedTerms(today: string, after: string, limit: number): Promise<string[]> {
    const rows = await this.query<{ entryId: string }[]>(
      `WITH ended AS MATERIALIZED (
         SELECT entry_id FROM tasks WHERE status <> 'revoked' AND task_term_ends_on(measures) < $1 AND entry_id > $2
       )
       SELECT DISTINCT entry_id AS "entryId" FROM ended ORDER BY 1 LIMIT $3`,
      [today, after, limit],
    );
    return rows.map((r) => r.entryId);
  }

  /**
   * Of these entries, the active ones that still have a standing task past its term, locked in entry
   * order: a replica that came first has matched them again, and they are left out.
   */
  lockWithEndedTerms(today: string, entryIds: string[]): Promise<EntryState[]> {
    return this.query<EntryState[]>(
      `SELECT ${stateList} FROM entry_states s
       WHERE s.entry_id = ANY($2::uuid[]) AND s.status = 'active'
         AND EXISTS (SELECT 1 FROM tasks t WHERE t.entry_id = s.entry_id AND t.status <> 'revoked'
                     AND task_term_ends_on(t.measures) < $1)
       ORDER BY s.entry_id FOR UPDATE OF s`,
      [today, entryIds],
    );
  }

  async countActive(): Promise<number> {
    const [row] = await this.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM entry_states WHERE status = 'active'`,
    );
    return row.n;
  }
}
