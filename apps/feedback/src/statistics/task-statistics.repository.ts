import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository } from '@jrp/database';
import { KnownTaskRow, knownTasks } from '../task-copy/task-copy.repository';
import { TaskFacts } from './definitions';
import { StatementPart } from './rollups.repository';

type FactsRow = Omit<TaskFacts, 'items'> & {
  items: { memorandum: string; finalAt: string | null; implemented: boolean }[];
};

/** A task's measure item: its current outcome, from which feedback (standing, recorded or corrected when). */
export interface CurrentItem {
  measureId: string;
  memorandum: string;
  outcome: string | null;
  finalAt: Date | null;
  feedbackId: string | null;
  feedbackUpdatedAt: Date | null;
}

/** A task's row, locked, and its items' current outcomes. */
export interface LockedTask {
  task: KnownTaskRow;
  items: CurrentItem[];
}

type CurrentItemJson = Omit<CurrentItem, 'finalAt' | 'feedbackUpdatedAt'> & {
  finalAt: string | null;
  feedbackUpdatedAt: string | null;
};

/** The items of task $1 as JSON, in measure order. */
const CURRENT_ITEMS = `SELECT coalesce(json_agg(json_build_object('measureId', ti.measure_id, 'memorandum', ti.memorandum,
    'outcome', ti.outcome, 'finalAt', ti.final_at, 'feedbackId', ti.feedback_id, 'feedbackUpdatedAt', f.updated_at)
    ORDER BY ti.measure_id), '[]')
  FROM task_items ti LEFT JOIN feedback f ON f.id = ti.feedback_id WHERE ti.task_id = $1`;

const currentItemsOf = (items: CurrentItemJson[]): CurrentItem[] =>
  items.map((i) => ({
    ...i,
    finalAt: i.finalAt ? new Date(i.finalAt) : null,
    feedbackUpdatedAt: i.feedbackUpdatedAt ? new Date(i.feedbackUpdatedAt) : null,
  }));

/** A measure item's new current outcome, from feedback `feedbackId`. */
export interface NewCurrentItem {
  measureId: string;
  outcome: string;
  finalAt: Date | null;
  feedbackId: string;
}

/** What the statistics read and keep of a task: its facts, its items' current outcomes, its final-outcome time. */
@Injectable()
export class TaskStatisticsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('feedback') dataSource: DataSource) {
    super(dataSource);
  }

  /** Locks the task's row for the rest of the transaction; false when feedback does not know the task. */
  async lock(taskId: string): Promise<boolean> {
    const locked = await this.query<unknown[]>(`SELECT 1 FROM known_tasks WHERE id = $1 FOR UPDATE`, [taskId]);
    return locked.length > 0;
  }

  /** The task's facts (its items in measure order), or null. */
  async facts(taskId: string): Promise<TaskFacts | null> {
    const [row] = await this.query<FactsRow[]>(
      `SELECT t.organization, t.list_type AS "listType", t.city, to_char(t.dispatched_on, 'YYYY-MM-DD') AS day, t.due_at AS "dueAt",
              t.revoked_at AS "revokedAt", t.acknowledged_at AS "acknowledgedAt",
              coalesce((SELECT json_agg(json_build_object('memorandum', i.memorandum, 'finalAt', i.final_at, 'implemented', i.outcome = 'implemented')
                                 ORDER BY i.measure_id)
                        FROM task_items i WHERE i.task_id = t.id), '[]') AS items
       FROM known_tasks t WHERE t.id = $1`,
      [taskId],
    );
    if (!row) return null;
    return {
      ...row,
      items: row.items.map((i) => ({
        memorandum: i.memorandum,
        finalAt: i.finalAt ? new Date(i.finalAt) : null,
        implemented: i.implemented,
      })),
    };
  }

  /** Each measure item's current outcome: the item of the latest standing feedback that has one. */
  async refreshItems(taskId: string): Promise<void> {
    await this.query(
      `UPDATE task_items ti SET outcome = cur.outcome, final_at = cur.final_since, feedback_id = cur.feedback_id
       FROM task_items x LEFT JOIN LATERAL (
         SELECT fi.outcome, fi.final_since, f.id AS feedback_id
         FROM feedback f JOIN feedback_items fi ON fi.feedback_id = f.id AND fi.version = f.version AND fi.measure_id = x.measure_id
         WHERE f.task_id = x.task_id AND f.cancelled_at IS NULL
         ORDER BY f.updated_at DESC, f.id DESC LIMIT 1) cur ON true
       WHERE x.task_id = $1 AND ti.task_id = x.task_id AND ti.measure_id = x.measure_id
         AND (ti.outcome, ti.final_at, ti.feedback_id) IS DISTINCT FROM (cur.outcome, cur.final_since, cur.feedback_id)`,
      [taskId],
    );
  }

  /**
   * Locks the task's row and reads it with its items' current outcomes, in one statement; undefined
   * when feedback does not know the task. A statement that waited for the lock reads the items with the
   * snapshot it started with (READ COMMITTED), so a change committed meanwhile would be missed. Every
   * change of a task's items writes its row too (its final-outcome time: see `TaskStatistics`), so such
   * a change shows as a row newer than the snapshot's (another xmin): then the items are read again.
   */
  async lockWithItems(taskId: string): Promise<LockedTask | undefined> {
    const [row] = await this.query<
      (KnownTaskRow & { rowVersion: string; snapshotVersion: string; items: CurrentItemJson[] })[]
    >(
      `WITH task AS (SELECT ${knownTasks.selectList()}, xmin::text AS "rowVersion" FROM known_tasks WHERE id = $1 FOR UPDATE)
       SELECT task.*, (SELECT xmin::text FROM known_tasks WHERE id = $1) AS "snapshotVersion", (${CURRENT_ITEMS}) AS items
       FROM task`,
      [taskId],
    );
    if (!row) return undefined;
    const { rowVersion, snapshotVersion, items, ...task } = row;
    if (rowVersion === snapshotVersion) return { task, items: currentItemsOf(items) };
    const [again] = await this.query<{ items: CurrentItemJson[] }[]>(`SELECT (${CURRENT_ITEMS}) AS items`, [taskId]);
    return { task, items: currentItemsOf(again.items) };
  }

  /** Sets measure items' current outcomes (`items`, known rather than looked up), as a part of a combined statement. */
  setItems(taskId: string, items: NewCurrentItem[]): StatementPart {
    return (params) => {
      if (items.length === 0) return null;
      const json = JSON.stringify(
        items.map((i) => ({
          measure_id: i.measureId,
          outcome: i.outcome,
          final_at: i.finalAt,
          feedback_id: i.feedbackId,
        })),
      );
      const n = params.push(taskId, json);
      return `UPDATE task_items ti SET outcome = x.outcome, final_at = x.final_at, feedback_id = x.feedback_id
        FROM jsonb_to_recordset($${n}::jsonb) AS x(measure_id text, outcome text, final_at timestamptz, feedback_id uuid)
        WHERE ti.task_id = $${n - 1} AND ti.measure_id = x.measure_id`;
    };
  }

  async setFedBackAt(taskId: string, at: Date | null): Promise<void> {
    const params: unknown[] = [];
    await this.query(this.fedBackAt(taskId, at)(params)!, params);
  }

  /** `setFedBackAt` as a part of a combined statement. */
  fedBackAt(taskId: string, at: Date | null): StatementPart {
    return (params) => {
      const n = params.push(taskId, at);
      return `UPDATE known_tasks SET fed_back_at = $${n} WHERE id = $${n - 1}`;
    };
  }
}
