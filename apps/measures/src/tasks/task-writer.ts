import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  eventIdOf,
  TaskChangedData,
  TaskChangeType,
  TaskEventOfChange,
  TaskMeasureData,
  TaskStatus,
  TaskSubjectData,
} from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import { TaskFeedRepository } from './feed/task-feed.repository';

/** One new version of a task: its full state after the change. */
export interface TaskChange {
  type: TaskChangeType;
  task: TaskChangedData;
  /** The Asia/Shanghai date its due date counts from (null for a task never dispatched). */
  dispatchedOn: string | null;
}

/** The columns of a locked task row (tasks joined with its organisation's and list type's names). */
interface TaskRow {
  id: string;
  entry_id: string;
  entry_version: number;
  organization: string;
  organization_name: string;
  list_type: string;
  list_type_name: string | null;
  region: string;
  subject: TaskSubjectData;
  measures: TaskMeasureData[];
  status: TaskStatus;
  entry_disputed: boolean;
  due_at: Date | null;
  version: number;
  acknowledged_at: Date | null;
  return_reason: string | null;
  dispatched_on: string | null;
}

/** A task as stored, ready to become the base of its next change. */
export interface StoredTask {
  task: TaskChangedData;
  dispatchedOn: string | null;
}

/**
 * The one way task changes are written: the task row, its feed item and its event (outbox), in the
 * caller's transaction, so the three never disagree. Matching, receipt, return, reassignment and
 * counter checks all go through here.
 */
@Injectable()
export class TaskWriter {
  constructor(private readonly feed: TaskFeedRepository) {}

  async write(m: EntityManager, outbox: OutboxService, changes: TaskChange[]): Promise<void> {
    if (changes.length === 0) return;
    for (let i = 0; i < changes.length; i += 4000) {
      const chunk = changes.slice(i, i + 4000);
      const values: unknown[] = [];
      const rows = chunk.map(({ task: s, dispatchedOn }, k) => {
        values.push(
          s.taskId,
          s.entryId,
          s.entryVersion,
          s.organization,
          s.listType,
          s.region,
          JSON.stringify(s.subject),
          JSON.stringify(s.measures),
          s.status,
          s.version,
          s.disputed === true,
          dispatchedOn,
          s.dueAt ?? null,
          s.acknowledgedAt ?? null,
          s.returnReason ?? null,
        );
        return `(${Array.from({ length: 15 }, (_, n) => `$${k * 15 + n + 1}`).join(', ')})`;
      });
      await m.query(
        `INSERT INTO tasks (id, entry_id, entry_version, organization, list_type, region, subject, measures, status, version, entry_disputed,
           dispatched_on, due_at, acknowledged_at, return_reason)
         VALUES ${rows.join(', ')}
         ON CONFLICT (id) DO UPDATE SET entry_version = EXCLUDED.entry_version, region = EXCLUDED.region, subject = EXCLUDED.subject,
           measures = EXCLUDED.measures, status = EXCLUDED.status, version = EXCLUDED.version,
           entry_disputed = EXCLUDED.entry_disputed, dispatched_on = EXCLUDED.dispatched_on, due_at = EXCLUDED.due_at,
           acknowledged_at = EXCLUDED.acknowledged_at, return_reason = EXCLUDED.return_reason,
           returned_at = CASE WHEN EXCLUDED.status = 'returned' THEN COALESCE(tasks.returned_at, now()) END,
           fed_back_at = task_fed_back_at(EXCLUDED.measures, tasks.feedback), updated_at = now()`,
        values,
      );
    }
    // the task after the change is both the event's data and the feed item: serialized once
    const json = changes.map(({ task }) => JSON.stringify(task));
    await outbox.append(
      m,
      changes.map(({ type, task }, i) => ({
        id: eventIdOf('task', task.taskId, task.version, TaskEventOfChange[type]),
        type: TaskEventOfChange[type],
        key: task.entryId,
        subject: `tasks/${task.taskId}`,
        data: task,
        json: json[i],
        time: new Date(task.changedAt),
      })),
    );
    await this.feed.append(
      m,
      changes.map(({ type, task }, i) => ({ type, task, json: json[i] })),
    );
  }

  /** Locks and reads one task for its next change; `organization` restricts it to its owner. */
  async lock(m: EntityManager, id: string, organization?: string): Promise<StoredTask | undefined> {
    const [row] = await m.query<TaskRow[]>(
      `SELECT t.id, t.entry_id, t.entry_version, t.organization, o.name AS organization_name, t.list_type, lt.name AS list_type_name,
              t.region, t.subject, t.measures, t.status, t.entry_disputed, t.due_at, t.version, t.acknowledged_at, t.return_reason,
              to_char(t.dispatched_on, 'YYYY-MM-DD') AS dispatched_on
       FROM tasks t JOIN organizations o ON o.code = t.organization LEFT JOIN list_types lt ON lt.code = t.list_type
       WHERE t.id = $1 AND ($2::text IS NULL OR t.organization = $2)
       FOR UPDATE OF t`,
      [id, organization ?? null],
    );
    if (!row) return undefined;
    return {
      dispatchedOn: row.dispatched_on,
      task: {
        taskId: row.id,
        version: row.version,
        entryId: row.entry_id,
        entryVersion: row.entry_version,
        organization: row.organization,
        organizationName: row.organization_name,
        listType: row.list_type,
        listTypeName: row.list_type_name ?? row.list_type,
        region: row.region,
        subject: row.subject,
        measures: row.measures,
        status: row.status,
        disputed: row.entry_disputed,
        dueAt: row.due_at ? new Date(row.due_at).toISOString() : null,
        changedAt: new Date().toISOString(),
        acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
        returnReason: row.return_reason,
      },
    };
  }
}
