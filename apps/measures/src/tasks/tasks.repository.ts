import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TaskLiftingData, TaskMeasureData, TaskRevocationData, TaskStatus, TaskSubjectData } from '@jrp/contracts';
import { DatabaseRepository, Table } from '@jrp/database';

/**
 * A task row as written: one version of a task. `subject` and `measures` are JSON text (serialized by
 * the writer, once), read back as objects (see `LockedTask`).
 */
export interface TaskColumns {
  id: string;
  entryId: string;
  entryVersion: number;
  organization: string;
  listType: string;
  region: string;
  subject: string;
  measures: string;
  status: TaskStatus;
  version: number;
  entryDisputed: boolean;
  dispatchedOn: string | null;
  dueAt: string | null;
  acknowledgedAt: string | null;
  returnReason: string | null;
  /** JSON text: a revoked task's revocation (TaskRevocationData), null otherwise. */
  revocation: string | null;
  /** JSON text: the confirmation that the measures were lifted (TaskLiftingData), once given. */
  lifting: string | null;
}

export const tasks = new Table<TaskColumns>('tasks', {
  id: 'id',
  entryId: 'entry_id',
  entryVersion: 'entry_version',
  organization: 'organization',
  listType: 'list_type',
  region: 'region',
  subject: 'subject',
  measures: 'measures',
  status: 'status',
  version: 'version',
  entryDisputed: 'entry_disputed',
  dispatchedOn: { column: 'dispatched_on', read: `to_char($, 'YYYY-MM-DD')` },
  dueAt: 'due_at',
  acknowledgedAt: 'acknowledged_at',
  returnReason: 'return_reason',
  revocation: 'revocation',
  lifting: 'lifting',
});

/** A feedback as a task's mirror keeps it (`task_feedback`): its items, until cancelled. */
export interface TaskFeedbackColumns {
  feedbackId: string;
  version: number;
  taskId: string;
  /** JSON text. */
  items: string;
  recordedAt: string;
  cancelled: boolean;
}

export const taskFeedback = new Table<TaskFeedbackColumns>('task_feedback', {
  feedbackId: 'feedback_id',
  version: 'version',
  taskId: 'task_id',
  items: 'items',
  recordedAt: 'recorded_at',
  cancelled: 'cancelled',
});
const RECORDED = ['feedbackId', 'version', 'taskId', 'items', 'recordedAt'] as const;

/** A stored task as read back: its columns (JSON parsed, times as dates) and its organisation's name. */
export interface LockedTask extends Omit<
  TaskColumns,
  'subject' | 'measures' | 'dueAt' | 'acknowledgedAt' | 'revocation' | 'lifting'
> {
  subject: TaskSubjectData;
  revocation: TaskRevocationData | null;
  lifting: TaskLiftingData | null;
  measures: TaskMeasureData[];
  dueAt: Date | null;
  acknowledgedAt: Date | null;
  organizationName: string;
}

/** The tasks of entries (任务): their current version, written by `TaskWriter` alone. */
@Injectable()
export class TasksRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Writes tasks' new versions in one statement of seventeen array parameters (`insertUnnested`),
   * however many rows: PostgreSQL parses seventeen values instead of a VALUES list of thousands of rows
   * (a fan-out's batch writes 14 tasks an entry). The arrays go in binary where they can: the subjects'
   * and measures' JSON is not escaped into array literals.
   */
  async upsert(rows: TaskColumns[]): Promise<void> {
    await this.insertUnnested(tasks, rows, {
      onConflict: `(id) DO UPDATE SET entry_version = EXCLUDED.entry_version, region = EXCLUDED.region, subject = EXCLUDED.subject,
           measures = EXCLUDED.measures, status = EXCLUDED.status, version = EXCLUDED.version,
           entry_disputed = EXCLUDED.entry_disputed, dispatched_on = EXCLUDED.dispatched_on, due_at = EXCLUDED.due_at,
           acknowledged_at = EXCLUDED.acknowledged_at, return_reason = EXCLUDED.return_reason,
           revocation = EXCLUDED.revocation, lifting = EXCLUDED.lifting,
           returned_at = CASE WHEN EXCLUDED.status = 'returned' THEN COALESCE(tasks.returned_at, now()) END,
           fed_back_at = task_fed_back_at(EXCLUDED.measures, tasks.feedback), updated_at = now()`,
    });
  }

  /** Locks and reads one task (with its list type's name); `organization` restricts it to its owner. */
  async lock(id: string, organization?: string): Promise<(LockedTask & { listTypeName: string | null }) | undefined> {
    const [row] = await this.query<(LockedTask & { listTypeName: string | null })[]>(
      `SELECT ${tasks.selectList('t')}, o.name AS "organizationName", lt.name AS "listTypeName"
       FROM tasks t JOIN organizations o ON o.code = t.organization LEFT JOIN list_types lt ON lt.code = t.list_type
       WHERE t.id = $1 AND ($2::text IS NULL OR t.organization = $2)
       FOR UPDATE OF t`,
      [id, organization ?? null],
    );
    return row;
  }

  /** The tasks of these entries, locked, in entry and organisation order (matching's lock order). */
  lockOfEntries(entryIds: string[]): Promise<LockedTask[]> {
    return this.query<LockedTask[]>(
      `SELECT ${tasks.selectList('t')}, o.name AS "organizationName"
       FROM tasks t JOIN organizations o ON o.code = t.organization
       WHERE t.entry_id = ANY($1::uuid[]) ORDER BY t.entry_id, t.organization FOR UPDATE OF t`,
      [entryIds],
    );
  }

  /** A task's entry and region, unlocked (the office finds the entry to lock first). */
  async entryOf(id: string): Promise<{ entryId: string; region: string } | undefined> {
    const [found] = await this.query<{ entryId: string; region: string }[]>(
      `SELECT entry_id AS "entryId", region FROM tasks WHERE id = $1`,
      [id],
    );
    return found;
  }

  /** Locks the task when it is the organisation's; false when it is not. */
  async lockOwned(taskId: string, organization: string): Promise<boolean> {
    const [task] = await this.query<{ id: string }[]>(
      `SELECT id FROM tasks WHERE id = $1 AND organization = $2 FOR UPDATE`,
      [taskId, organization],
    );
    return !!task;
  }

  /** Stores a feedback (a newer version replaces an older; an older arriving later changes nothing). */
  async upsertFeedback(feedback: {
    feedbackId: string;
    version: number;
    taskId: string;
    items: unknown[];
    recordedAt: string;
  }): Promise<void> {
    await this.query(
      `INSERT INTO task_feedback (${taskFeedback.columnList(RECORDED)}) VALUES (${taskFeedback.placeholders(1, RECORDED)})
       ON CONFLICT (feedback_id) DO UPDATE SET version = EXCLUDED.version, items = EXCLUDED.items, recorded_at = EXCLUDED.recorded_at
       WHERE task_feedback.version < EXCLUDED.version`,
      taskFeedback.valuesOf({ ...feedback, items: JSON.stringify(feedback.items), cancelled: false }, RECORDED),
    );
  }

  /** Marks a feedback cancelled (作废), unless a newer version of it is stored. */
  async cancelFeedback(cancelled: {
    feedbackId: string;
    version: number;
    taskId: string;
    cancelledAt: string;
  }): Promise<void> {
    await this.query(
      `INSERT INTO task_feedback (${taskFeedback.columnList()}) VALUES (${taskFeedback.placeholders(1)})
       ON CONFLICT (feedback_id) DO UPDATE SET version = EXCLUDED.version, cancelled = true WHERE task_feedback.version < EXCLUDED.version`,
      taskFeedback.valuesOf({
        feedbackId: cancelled.feedbackId,
        version: cancelled.version,
        taskId: cancelled.taskId,
        items: '[]',
        recordedAt: cancelled.cancelledAt,
        cancelled: true,
      }),
    );
  }

  /** The task's latest outcome per measure over its feedback that stands, and whether it is fed back. */
  async recomputeFeedback(taskId: string): Promise<void> {
    await this.query(
      `WITH latest AS (
         SELECT coalesce(jsonb_object_agg(measure_id, item), '{}') AS feedback FROM (
           SELECT DISTINCT ON (i ->> 'measureId') i ->> 'measureId' AS measure_id,
                  jsonb_build_object('outcome', i ->> 'outcome', 'implementedAt', i -> 'implementedAt', 'recordedAt', f.recorded_at, 'feedbackId', f.feedback_id) AS item
           FROM task_feedback f, jsonb_array_elements(f.items) i
           WHERE f.task_id = $1 AND NOT f.cancelled ORDER BY i ->> 'measureId', f.recorded_at DESC) x)
       UPDATE tasks SET feedback = latest.feedback, fed_back_at = task_fed_back_at(tasks.measures, latest.feedback) FROM latest WHERE tasks.id = $1`,
      [taskId],
    );
  }
}
