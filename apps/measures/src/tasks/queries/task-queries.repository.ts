import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository } from '@jrp/database';
import { TaskViewStatus } from '../task-labels';

export interface TaskFilter {
  /** The caller's organisation; undefined for the office, which sees every organisation's tasks. */
  organization?: string;
  /** A city office's city (its region code): only tasks of entries there. */
  city?: string;
  status?: TaskViewStatus;
  overdue?: boolean;
  listType?: string;
  afterSeq: string;
  limit: number;
}

/** The state a task is in, as the API names it: `fed-back` when feedback covers every measure. */
const VIEW_STATUS = `CASE WHEN t.status IN ('open', 'acknowledged') AND t.fed_back_at IS NOT NULL THEN 'fed-back' ELSE t.status END`;
const OVERDUE = `(t.status IN ('open', 'acknowledged') AND t.fed_back_at IS NULL AND t.due_at < now())`;

const STATUS_CONDITION: Record<TaskViewStatus, string> = {
  open: `t.status = 'open' AND t.fed_back_at IS NULL`,
  acknowledged: `t.status = 'acknowledged' AND t.fed_back_at IS NULL`,
  'fed-back': `t.status IN ('open', 'acknowledged') AND t.fed_back_at IS NOT NULL`,
  returned: `t.status = 'returned'`,
  revoked: `t.status = 'revoked'`,
  'on-hold': `t.status = 'on-hold'`,
};

const COLUMNS = `t.seq, t.id, t.version, t.entry_id AS "entryId", t.organization, o.name AS "organizationName", t.list_type AS "listType",
  lt.name AS "listTypeName", t.region, t.subject, t.measures, t.feedback, ${VIEW_STATUS} AS status, t.entry_disputed AS disputed,
  to_char(t.dispatched_on, 'YYYY-MM-DD') AS "dispatchedOn", t.due_at AS "dueAt", ${OVERDUE} AS overdue, t.acknowledged_at AS "acknowledgedAt",
  t.returned_at AS "returnedAt", t.return_reason AS "returnReason", t.fed_back_at AS "fedBackAt",
  t.revocation, t.lifting, t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

export interface TaskRow {
  seq: string;
  id: string;
  status: TaskViewStatus;
  measures: { id: string; text: string }[];
  feedback: Record<string, { outcome: string; implementedAt?: string | null; recordedAt: string }>;
  [column: string]: unknown;
}

/** Reads of tasks' current state (the feed has their history). */
@Injectable()
export class TaskQueriesRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  list(f: TaskFilter): Promise<TaskRow[]> {
    const where = ['t.seq > $1'];
    const values: unknown[] = [f.afterSeq];
    const param = (v: unknown) => `$${values.push(v)}`;
    if (f.organization !== undefined) where.push(`t.organization = ${param(f.organization)}`);
    if (f.city !== undefined) where.push(`left(t.region, 4) = left(${param(f.city)}, 4)`);
    if (f.status) where.push(STATUS_CONDITION[f.status]);
    if (f.overdue !== undefined) where.push(f.overdue ? OVERDUE : `NOT ${OVERDUE}`);
    if (f.listType) where.push(`t.list_type = ${param(f.listType)}`);
    return this.query<TaskRow[]>(
      `SELECT ${COLUMNS}
       FROM tasks t JOIN organizations o ON o.code = t.organization LEFT JOIN list_types lt ON lt.code = t.list_type
       WHERE ${where.join(' AND ')} ORDER BY t.seq LIMIT ${param(f.limit)}`,
      values,
    );
  }

  async one(id: string, scope: { organization?: string; city?: string }): Promise<TaskRow | undefined> {
    const [row] = await this.query<TaskRow[]>(
      `SELECT ${COLUMNS}
       FROM tasks t JOIN organizations o ON o.code = t.organization LEFT JOIN list_types lt ON lt.code = t.list_type
       WHERE t.id = $1 AND ($2::text IS NULL OR t.organization = $2) AND ($3::text IS NULL OR left(t.region, 4) = left($3, 4))`,
      [id, scope.organization ?? null, scope.city ?? null],
    );
    return row;
  }
}
