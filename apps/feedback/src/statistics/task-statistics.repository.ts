import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository } from '@jrp/database';
import { TaskFacts } from './definitions';

type FactsRow = Omit<TaskFacts, 'items'> & {
  items: { memorandum: string; finalAt: string | null; implemented: boolean }[];
};

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

  async setFedBackAt(taskId: string, at: Date | null): Promise<void> {
    await this.query(`UPDATE known_tasks SET fed_back_at = $2 WHERE id = $1`, [taskId, at]);
  }
}
