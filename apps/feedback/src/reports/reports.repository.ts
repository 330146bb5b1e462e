import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository } from '@jrp/database';
import { Counters, SQL } from '../statistics/definitions';
import { Grouping } from './dto/report-query.dto';

/** Whose data and which period a report covers: a city office only its city; dates inclusive. */
export interface ReportScope {
  from: string | null;
  to: string | null;
  city: string | null;
}

/** One group's counters (as `definitions.ts` names them) and its key. */
export type CounterSums = Counters & { key: string };

/** The column (or expression) of a dimension over a rollup `r` or the tasks `t`; a week is named by its Monday. */
function dimension(grouping: Exclude<Grouping, 'memorandum'>, alias: 'r' | 't'): string {
  if (grouping === 'week')
    return `to_char(date_trunc('week', ${alias}.${alias === 'r' ? 'day' : 'dispatched_on'}), 'YYYY-MM-DD')`;
  return `${alias}.${{ organization: 'organization', listType: 'list_type', region: 'city' }[grouping]}`;
}

const SUMS = `sum(dispatched)::int AS dispatched, sum(acknowledged)::int AS acknowledged, sum(due)::int AS due, sum(fed_back)::int AS "fedBack",
  sum(on_time)::int AS "onTime", sum(items_final)::int AS "itemsFinal", sum(items_implemented)::int AS "itemsImplemented"`;

/** Period and city conditions over a rollup's `day` and `city` (parameters $1 from, $2 to, $3 city). */
const ROLLUP_SCOPE = `($1::date IS NULL OR r.day >= $1) AND ($2::date IS NULL OR r.day <= $2) AND ($3::text IS NULL OR r.city = $3)`;
const TASK_SCOPE = `($1::date IS NULL OR t.dispatched_on >= $1) AND ($2::date IS NULL OR t.dispatched_on <= $2) AND ($3::text IS NULL OR t.city = $3)`;

/** Tasks owing a confirmation of lifting, by revocation date and city (parameters $1 from, $2 to, $3 city). */
const LIFTING_SCOPE = `t.lift_by IS NOT NULL AND t.status = 'revoked'
  AND ($1::date IS NULL OR (t.revocation_at AT TIME ZONE 'Asia/Shanghai')::date >= $1)
  AND ($2::date IS NULL OR (t.revocation_at AT TIME ZONE 'Asia/Shanghai')::date <= $2) AND ($3::text IS NULL OR t.city = $3)`;

/** One task of the lifting report: its entry's revocation and its organisation's confirmation, if any. */
export interface LiftingTaskRow {
  taskId: string;
  entryId: string;
  listType: string;
  listTypeName: string;
  city: string;
  reason: string;
  revokedAt: Date;
  organization: string;
  organizationName: string;
  liftBy: Date;
  liftedAt: Date | null;
  note: string | null;
  confirmedAt: Date | null;
}

/**
 * The reports' reads: sums over the rollups (one row per day and dimension, not per task), and the
 * overdue tasks from the partial index of due tasks not fed back.
 */
@Injectable()
export class ReportsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('feedback') dataSource: DataSource) {
    super(dataSource);
  }

  private params(s: ReportScope): unknown[] {
    return [s.from, s.to, s.city];
  }

  /** Task counters per organisation, list type or city; item counters per memorandum. */
  counters(grouping: Grouping, s: ReportScope): Promise<CounterSums[]> {
    const [table, key] =
      grouping === 'memorandum' ? ['item_rollup', 'r.memorandum'] : ['task_rollup', dimension(grouping, 'r')];
    return this.query<CounterSums[]>(
      `SELECT ${key} AS key, ${SUMS} FROM ${table} r WHERE ${ROLLUP_SCOPE} GROUP BY 1 ORDER BY 1`,
      this.params(s),
    );
  }

  /** Cases per dimension, by the date they occurred (per memorandum: once under each memorandum of the case). */
  async cases(grouping: Grouping | 'total', s: ReportScope): Promise<Map<string, number>> {
    const [table, key] =
      grouping === 'memorandum'
        ? ['case_memorandum_rollup', 'r.memorandum']
        : ['case_rollup', grouping === 'total' ? `''` : dimension(grouping, 'r')];
    const rows = await this.query<{ key: string; cases: number }[]>(
      `SELECT ${key} AS key, sum(cases)::int AS cases FROM ${table} r WHERE ${ROLLUP_SCOPE} GROUP BY 1`,
      this.params(s),
    );
    return new Map(rows.map((r) => [r.key, r.cases]));
  }

  /** Due tasks past their due date without feedback, per dimension (per memorandum: their open items). */
  async overdue(grouping: Grouping, s: ReportScope, now: Date): Promise<Map<string, number>> {
    const sql =
      grouping === 'memorandum'
        ? `SELECT i.memorandum AS key, count(*)::int AS n FROM known_tasks t JOIN task_items i ON i.task_id = t.id AND i.final_at IS NULL
           WHERE ${SQL.open} AND t.due_at < $4 AND ${TASK_SCOPE} GROUP BY 1`
        : `SELECT ${dimension(grouping, 't')} AS key, count(*)::int AS n FROM known_tasks t WHERE ${SQL.open} AND t.due_at < $4 AND ${TASK_SCOPE} GROUP BY 1`;
    const rows = await this.query<{ key: string; n: number }[]>(sql, [...this.params(s), now]);
    return new Map(rows.map((r) => [r.key, r.n]));
  }

  /** Display names of the keys of a dimension. */
  async names(grouping: Grouping): Promise<Map<string, string>> {
    const table = {
      organization: 'known_organizations',
      listType: 'known_list_types',
      memorandum: 'known_memoranda',
      region: null,
      week: null,
    }[grouping];
    if (!table) return new Map();
    const rows = await this.query<{ code: string; name: string }[]>(`SELECT code, name FROM ${table}`);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** The overdue tasks themselves, by organisation, oldest due first. */
  overdueTasks(s: ReportScope, now: Date, limit: number): Promise<Record<string, unknown>[]> {
    return this.query<Record<string, unknown>[]>(
      `SELECT t.organization, coalesce(o.name, t.organization_name) AS "organizationName", t.id AS "taskId", t.entry_id AS "entryId",
              coalesce(lt.name, t.list_type_name) AS "listTypeName", t.city, to_char(t.dispatched_on, 'YYYY-MM-DD') AS "dispatchedOn", t.due_at AS "dueAt",
              (t.acknowledged_at IS NOT NULL) AS acknowledged,
              (SELECT count(*) FROM task_items i WHERE i.task_id = t.id AND i.final_at IS NULL)::int AS "openItems"
       FROM known_tasks t LEFT JOIN known_organizations o ON o.code = t.organization LEFT JOIN known_list_types lt ON lt.code = t.list_type
       WHERE ${SQL.open} AND t.due_at < $4 AND ${TASK_SCOPE}
       ORDER BY t.organization, t.due_at, t.id LIMIT $5`,
      [...this.params(s), now, limit],
    );
  }

  /** Per organisation: how many tasks are overdue and the oldest due date. */
  overdueSummary(
    s: ReportScope,
    now: Date,
  ): Promise<{ organization: string; organizationName: string; overdue: number; oldestDueAt: Date }[]> {
    return this.query<{ organization: string; organizationName: string; overdue: number; oldestDueAt: Date }[]>(
      `SELECT x.organization, coalesce(o.name, x.organization) AS "organizationName", x.overdue, x."oldestDueAt" FROM (
         SELECT t.organization, count(*)::int AS overdue, min(t.due_at) AS "oldestDueAt" FROM known_tasks t
         WHERE ${SQL.open} AND t.due_at < $4 AND ${TASK_SCOPE} GROUP BY 1) x
       LEFT JOIN known_organizations o ON o.code = x.organization
       ORDER BY x."oldestDueAt", x.organization`,
      [...this.params(s), now],
    );
  }

  /** The cases themselves (案例台账), in the order they were recorded. */
  caseList(s: ReportScope, limit: number): Promise<Record<string, unknown>[]> {
    return this.query<Record<string, unknown>[]>(
      `SELECT c.id, c.title, c.organization, coalesce(o.name, c.organization) AS "organizationName", coalesce(lt.name, c.list_type) AS "listTypeName",
              array_to_string(c.measure_ids, '、') AS measures, to_char(c.occurred_on, 'YYYY-MM-DD') AS "occurredAt", c.region, c.city,
              CASE WHEN c.publishable THEN '是' ELSE '否' END AS publishable, c.effect, c.recorded_at AS "recordedAt"
       FROM cases c LEFT JOIN known_organizations o ON o.code = c.organization LEFT JOIN known_list_types lt ON lt.code = c.list_type
       WHERE ($1::date IS NULL OR c.occurred_on >= $1) AND ($2::date IS NULL OR c.occurred_on <= $2) AND ($3::text IS NULL OR c.city = $3)
       ORDER BY c.seq LIMIT $4`,
      [...this.params(s), limit],
    );
  }

  /** Per city: national-level entries, black-listed legal subjects, their commitments and trainings (by listing date). */
  entriesByCity(
    s: ReportScope,
  ): Promise<{ key: string; national: number; black: number; committed: number; trained: number }[]> {
    const black = `lt.colour = 'black' AND r.subject_kind = 'legal'`;
    return this.query<{ key: string; national: number; black: number; committed: number; trained: number }[]>(
      `SELECT r.city AS key, coalesce(sum(r.entries) FILTER (WHERE r.national), 0)::int AS national,
              coalesce(sum(r.entries) FILTER (WHERE ${black}), 0)::int AS black,
              coalesce(sum(r.committed) FILTER (WHERE ${black}), 0)::int AS committed,
              coalesce(sum(r.trained) FILTER (WHERE ${black}), 0)::int AS trained
       FROM entry_rollup r LEFT JOIN known_list_types lt ON lt.code = r.list_type WHERE ${ROLLUP_SCOPE} GROUP BY 1`,
      this.params(s),
    );
  }

  /**
   * 解除确认: the tasks whose revocation owes a confirmation of lifting (still revoked), by the date their
   * entry's change took effect (Asia/Shanghai) and city; the latest revocation first, an entry's tasks together.
   */
  liftingTasks(s: ReportScope, limit: number): Promise<LiftingTaskRow[]> {
    return this.query<LiftingTaskRow[]>(
      `SELECT t.id AS "taskId", t.entry_id AS "entryId", t.list_type AS "listType", coalesce(lt.name, t.list_type_name) AS "listTypeName",
              t.city, t.revocation_reason AS reason, t.revocation_at AS "revokedAt", t.organization,
              coalesce(o.name, t.organization_name) AS "organizationName", t.lift_by AS "liftBy", t.lifted_at AS "liftedAt",
              t.lift_note AS note, t.lift_confirmed_at AS "confirmedAt"
       FROM known_tasks t LEFT JOIN known_organizations o ON o.code = t.organization LEFT JOIN known_list_types lt ON lt.code = t.list_type
       WHERE ${LIFTING_SCOPE}
       ORDER BY t.revocation_at DESC, t.entry_id, t.organization LIMIT $4`,
      [...this.params(s), limit],
    );
  }

  /** The lifting report's totals over the whole scope (the rule of `liftingStateOf`: overdue once `lift_by` has passed). */
  async liftingTotals(
    s: ReportScope,
    now: Date,
  ): Promise<{ entries: number; tasks: number; confirmed: number; pending: number; overdue: number }> {
    const [row] = await this.query<
      { entries: number; tasks: number; confirmed: number; pending: number; overdue: number }[]
    >(
      `SELECT count(DISTINCT t.entry_id)::int AS entries, count(*)::int AS tasks,
              count(*) FILTER (WHERE t.lift_confirmed_at IS NOT NULL)::int AS confirmed,
              count(*) FILTER (WHERE t.lift_confirmed_at IS NULL AND t.lift_by >= $4)::int AS pending,
              count(*) FILTER (WHERE t.lift_confirmed_at IS NULL AND t.lift_by < $4)::int AS overdue
       FROM known_tasks t WHERE ${LIFTING_SCOPE}`,
      [...this.params(s), now],
    );
    return row;
  }
}
