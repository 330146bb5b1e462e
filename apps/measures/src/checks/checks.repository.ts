import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { AuditRecordedData } from '@jrp/contracts';
import { DatabaseRepository, Table } from '@jrp/database';
import { auditTrail } from '../audit/audit-trail.repository';
import { REPORTED_STATUSES, SubjectEntry } from './check-answer';
import type { BasisItem } from '../catalogue/versions/measure-basis';

/** A counter check as it is kept: the subject by its keyed hash only. */
export interface CheckRecord {
  id: string;
  organization: string;
  subjectKind: 'legal' | 'natural';
  idType: string | null;
  subjectKey: string;
  businessType: string;
  reference: string;
  listed: boolean;
  entryIds: string[];
  taskIds: string[];
  checkedAt: string;
}

export const checks = new Table<CheckRecord>('checks', {
  id: 'id',
  organization: 'organization',
  subjectKind: 'subject_kind',
  idType: 'id_type',
  subjectKey: 'subject_key',
  businessType: 'business_type',
  reference: 'reference',
  listed: 'listed',
  entryIds: 'entry_ids',
  taskIds: 'task_ids',
  checkedAt: 'checked_at',
});

export interface MeasureDetails {
  kind: 'punishment' | 'reward';
  legalBasis: string[];
  /** The structured basis items (依据) and whether they are still to be confirmed (待核对). */
  basis: BasisItem[];
  basisPending: boolean;
}

/** A check's first statement (see `entriesOrRecord`), its audit record's values from $11 on. */
const ENTRIES_OR_RECORD = `WITH e AS (
  SELECT e.entry_id AS "entryId", e.list_type AS "listType", coalesce(lt.name, e.list_type) AS "listTypeName", lt.colour,
         e.status, e.disputed, to_char(e.listed_at, 'YYYY-MM-DD') AS "listedAt", to_char(e.valid_until, 'YYYY-MM-DD') AS "validUntil",
         e.region, e.subject ->> 'kind' AS "subjectKind", e.has_legal_representative AS "hasLegalRepresentative",
         coalesce(lt.withheld_facilitations, '[]'::jsonb) AS "withheldFacilitations",
         CASE WHEN e.subject_key = $1 THEN 'subject' ELSE 'legal-representative' END AS "foundAs"
  FROM entry_states e LEFT JOIN list_types lt ON lt.code = e.list_type
  WHERE e.subject_key = $1 OR e.representative_key = $1
), reported AS (
  SELECT "entryId", status, "listedAt" FROM e WHERE status = ANY($3::text[]) AND ("validUntil" IS NULL OR "validUntil" >= $2::text)
), unlisted AS (
  SELECT NOT EXISTS (SELECT 1 FROM reported WHERE status = 'active') AS yes
), audited AS (
  INSERT INTO audit_trail (${auditTrail.columnList()}) SELECT ${auditTrail.placeholders(11)} FROM unlisted WHERE yes
), recorded AS (
  INSERT INTO checks (${checks.columnList()})
  SELECT $4, $5, $6, $7, $1, $8, $9, false, ARRAY(SELECT "entryId" FROM reported ORDER BY "listedAt", "entryId"), '{}', $10
  FROM unlisted WHERE yes
)
SELECT (SELECT yes FROM unlisted) AS recorded, coalesce((SELECT json_agg(e) FROM e), '[]') AS entries`;

/** A check of a subject with an entry in force (see `linkAndRecord`), its audit record's values from $13 on. */
const LINK_AND_RECORD = `WITH standing AS (
  SELECT id, entry_id FROM tasks WHERE id = ANY($1::uuid[]) AND organization = $2 AND status IN ('open', 'acknowledged')
  ORDER BY entry_id, organization FOR UPDATE
), linked AS (
  INSERT INTO check_links (task_id, reference, check_id) SELECT id, $3, $4 FROM standing ON CONFLICT DO NOTHING RETURNING task_id
), recorded AS (
  INSERT INTO checks (${checks.columnList()})
  VALUES ($4, $2, $5, $6, $7, $8, $3, $9, $10::uuid[], ARRAY(SELECT id FROM standing ORDER BY entry_id), $11)
), audited AS (
  INSERT INTO audit_trail (${auditTrail.columnList()}) VALUES (${auditTrail.placeholders(13)})
)
SELECT (SELECT json_agg(json_build_object('id', s.id, 'claimed', l.task_id IS NOT NULL) ORDER BY s.entry_id)
        FROM standing s LEFT JOIN linked l ON l.task_id = s.id) AS tasks,
       (SELECT json_agg(json_build_object('id', code, 'kind', kind, 'legalBasis', legal_basis, 'basis', basis, 'basisPending', basis_pending)) FROM measures WHERE code = ANY($12::text[])) AS details`;

/** A batch's entries: every entry whose subject or legal representative has one of the keys ($1). */
const ENTRIES_OF_KEYS = `SELECT e.entry_id AS "entryId", e.list_type AS "listType", coalesce(lt.name, e.list_type) AS "listTypeName", lt.colour,
         e.status, e.disputed, to_char(e.listed_at, 'YYYY-MM-DD') AS "listedAt", to_char(e.valid_until, 'YYYY-MM-DD') AS "validUntil",
         e.region, e.subject ->> 'kind' AS "subjectKind", e.has_legal_representative AS "hasLegalRepresentative",
         coalesce(lt.withheld_facilitations, '[]'::jsonb) AS "withheldFacilitations",
         e.subject_key AS "subjectKey", e.representative_key AS "representativeKey"
  FROM entry_states e LEFT JOIN list_types lt ON lt.code = e.list_type
  WHERE e.subject_key = ANY($1::text[]) OR e.representative_key = ANY($1::text[])`;

/** The SQL type of each audit_trail column a group commit writes from an array (text unless named). */
const AUDIT_TYPES: Partial<Record<keyof AuditRecordedData, string>> = { recordId: 'uuid', at: 'timestamptz' };
const AUDIT_KEYS = auditTrail.writable();

/**
 * Checks of unlisted subjects and their audit records, many at once (the group commit of checks answered
 * from memory): one statement, so one transaction, with a fixed text (one array a column).
 */
const RECORD_UNLISTED = `WITH audited AS (
  INSERT INTO audit_trail (${auditTrail.columnList()})
  SELECT * FROM unnest(${AUDIT_KEYS.map((key, i) => `$${9 + i}::${AUDIT_TYPES[key] ?? 'text'}[]`).join(', ')})
)
INSERT INTO checks (${checks.columnList()})
SELECT id, organization, kind, id_type, subject_key, business_type, reference, false, '{}', '{}', checked_at
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
  AS c(id, organization, kind, id_type, subject_key, business_type, reference, checked_at)`;

/** An entry of a batch's keys, with the keys it was found by. */
export type KeyedEntry = Omit<SubjectEntry, 'foundAs'> & { subjectKey: string; representativeKey: string | null };

/** Counter checks (checks, check_links) and the reads a check answers from: measures' own tables only. */
@Injectable()
export class ChecksRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * A statement outside any transaction straight on measures' pool, without a TypeORM query runner
   * around it: a check's first statement is most checks' only one, and the p99 the benchmark measures.
   */
  private async onPool<T>(sql: string, parameters?: unknown[]): Promise<T> {
    const driver = this.dataSource.driver as PostgresDriver;
    return (await (driver.master as Pool).query(sql, parameters)).rows as T;
  }

  /**
   * A check's first statement: every entry measures knows for the subject, whatever its status (for a
   * natural person also the entries of the legal subjects the person represents, `foundAs`
   * legal-representative: a legal subject's key never equals a person's, their contexts differ); and when
   * none is in force on `today` (no measures apply, no task to link), the check recorded as not listed,
   * with the entries reported and its audit record, in the same statement. `recorded` false: an entry is
   * in force, the caller links the tasks and records the check. "Reported" and "in force" are
   * `isReported`'s rule (REPORTED_STATUSES, validUntil inclusive), on the same 'YYYY-MM-DD' strings.
   * Runs on its own, outside any transaction (it commits alone).
   */
  async entriesOrRecord(
    c: Omit<CheckRecord, 'listed' | 'entryIds' | 'taskIds'>,
    today: string,
    audit: AuditRecordedData,
  ): Promise<{ entries: SubjectEntry[]; recorded: boolean }> {
    const [row] = await this.onPool<{ entries: SubjectEntry[]; recorded: boolean }[]>(ENTRIES_OR_RECORD, [
      c.subjectKey,
      today,
      REPORTED_STATUSES,
      c.id,
      c.organization,
      c.subjectKind,
      c.idType,
      c.businessType,
      c.reference,
      c.checkedAt,
      ...auditTrail.valuesOf(audit),
    ]);
    return { entries: row.entries, recorded: row.recorded };
  }

  /**
   * A check that found an entry in force, in one statement: of the caller's tasks for those entries, the
   * standing ones (待实施, 已签收) locked all at once and in the order matching locks tasks in, before any
   * change takes the feed's lock (a check and a matching batch never wait on each other in a cycle); each
   * linked to the business (its reference) unless an earlier check of the same business holds the link
   * (`claimed`: the tasks to record the check on); the check recorded with the standing tasks and its audit
   * record; and the kind (惩戒 / 激励) and legal basis (法律依据) of the measures the answer names.
   */
  async linkAndRecord(
    c: Omit<CheckRecord, 'taskIds'>,
    taskIds: string[],
    audit: AuditRecordedData,
    measureIds: string[],
  ): Promise<{ standing: string[]; claimed: string[]; details: Map<string, MeasureDetails> }> {
    const [row] = await this.query<
      { tasks: { id: string; claimed: boolean }[] | null; details: ({ id: string } & MeasureDetails)[] | null }[]
    >(LINK_AND_RECORD, [
      taskIds,
      c.organization,
      c.reference,
      c.id,
      c.subjectKind,
      c.idType,
      c.subjectKey,
      c.businessType,
      c.listed,
      c.entryIds,
      c.checkedAt,
      measureIds,
      ...auditTrail.valuesOf(audit),
    ]);
    const tasks = row.tasks ?? [];
    return {
      standing: tasks.map((t) => t.id),
      claimed: tasks.filter((t) => t.claimed).map((t) => t.id),
      details: new Map(
        (row.details ?? []).map((d) => [
          d.id,
          { kind: d.kind, legalBasis: d.legalBasis, basis: d.basis, basisPending: d.basisPending },
        ]),
      ),
    };
  }

  /**
   * Records checks that found no reported entry (listed false, no entries, no tasks), each with its audit
   * record, all in one statement straight on the pool (it commits alone): all or none.
   */
  async recordUnlisted(
    rows: { check: Omit<CheckRecord, 'listed' | 'entryIds' | 'taskIds'>; audit: AuditRecordedData }[],
  ): Promise<void> {
    await this.onPool(RECORD_UNLISTED, [
      rows.map((r) => r.check.id),
      rows.map((r) => r.check.organization),
      rows.map((r) => r.check.subjectKind),
      rows.map((r) => r.check.idType),
      rows.map((r) => r.check.subjectKey),
      rows.map((r) => r.check.businessType),
      rows.map((r) => r.check.reference),
      rows.map((r) => r.check.checkedAt),
      ...AUDIT_KEYS.map((key) => rows.map((r) => r.audit[key] ?? null)),
    ]);
  }

  /** A batch comparison's lookup: the entries of all its keys in one statement (set-based, never one per row). */
  entriesOfKeys(keys: string[]): Promise<KeyedEntry[]> {
    return this.onPool<KeyedEntry[]>(ENTRIES_OF_KEYS, [keys]);
  }

  /** The kind (惩戒 / 激励) and legal basis (法律依据) of these measures. */
  async measureDetails(ids: string[]): Promise<Map<string, MeasureDetails>> {
    if (ids.length === 0) return new Map();
    const rows = await this.query<({ id: string } & MeasureDetails)[]>(
      `SELECT code AS id, kind, legal_basis AS "legalBasis", basis, basis_pending AS "basisPending" FROM measures WHERE code = ANY($1::text[])`,
      [ids],
    );
    return new Map(
      rows.map((d) => [d.id, { kind: d.kind, legalBasis: d.legalBasis, basis: d.basis, basisPending: d.basisPending }]),
    );
  }

  /**
   * Of the caller's tasks, the standing ones (待实施, 已签收), locked all at once in the order matching
   * locks tasks in (see `linkAndRecord`).
   */
  async lockStanding(taskIds: string[], organization: string): Promise<{ id: string; entryId: string }[]> {
    if (taskIds.length === 0) return [];
    return this.query<{ id: string; entryId: string }[]>(
      `SELECT id, entry_id AS "entryId" FROM tasks WHERE id = ANY($1::uuid[]) AND organization = $2
         AND status IN ('open', 'acknowledged') ORDER BY entry_id, organization FOR UPDATE`,
      [taskIds, organization],
    );
  }

  /** A batch's checks, set-based (multi-row inserts). */
  async insertChecks(rows: CheckRecord[]): Promise<void> {
    await this.insertRows(checks, rows);
  }

  /**
   * Links tasks to the business (`reference`), each by the check that found it, unless an earlier check
   * of the same business holds the link: the tasks newly linked (claimed).
   */
  async link(links: { taskId: string; checkId: string }[], reference: string): Promise<string[]> {
    if (links.length === 0) return [];
    const rows = await this.query<{ task_id: string }[]>(
      `INSERT INTO check_links (task_id, reference, check_id)
       SELECT t, $2, c FROM unnest($1::uuid[], $3::uuid[]) AS l(t, c) ORDER BY t ON CONFLICT DO NOTHING RETURNING task_id`,
      [links.map((l) => l.taskId), reference, links.map((l) => l.checkId)],
    );
    return rows.map((r) => r.task_id);
  }
}
