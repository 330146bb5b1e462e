import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConsumerGroups, TaskChangedData, TaskEvents } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';
import { TaskStatistics } from '../statistics/task-statistics';
import { cityOf } from '../statistics/regions';

/**
 * Keeps feedback's copy of the tasks (who owns each, which measures it carries, when it is due,
 * whether it was acknowledged, returned or revoked) and the rollups that count them, from every task
 * change. A returned task the office reassigns arrives revoked for the returning organisation and
 * dispatched to the other.
 */
@Controller()
export class TaskHandler {
  constructor(private readonly stats: TaskStatistics) {}

  @ConsumesEvents(Object.values(TaskEvents), ConsumerGroups.Feedback)
  async onTaskChanged(@Payload() task: TaskChangedData, @Ctx() { manager: m }: ConsumerContext): Promise<void> {
    const before = await this.stats.facts(m, task.taskId);
    if (before) {
      const [{ version }] = await m.query<{ version: number }[]>(`SELECT version FROM known_tasks WHERE id = $1`, [
        task.taskId,
      ]);
      if (version >= task.version) return; // a stale or replayed change
    }
    const changedAt = new Date(task.changedAt);
    const measureIds = task.measures.map((x) => x.id);
    await this.stats.change(m, task.taskId, before, async () => {
      await m.query(
        `INSERT INTO known_tasks (id, version, entry_id, organization, organization_name, list_type, list_type_name, region, city, measure_ids, status,
           dispatched_at, dispatched_on, due_at, acknowledged_at, returned_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (id) DO UPDATE SET version = $2, organization_name = $5, list_type_name = $7, region = $8, city = $9, measure_ids = $10, status = $11, due_at = $14,
           acknowledged_at = $15, returned_at = coalesce($16, known_tasks.returned_at),
           revoked_at = CASE WHEN $11 = 'revoked' THEN coalesce(known_tasks.revoked_at, $17) END, updated_at = now()`,
        [
          task.taskId,
          task.version,
          task.entryId,
          task.organization,
          task.organizationName,
          task.listType,
          task.listTypeName,
          task.region,
          cityOf(task.region),
          measureIds,
          task.status,
          changedAt,
          todayInShanghai(changedAt),
          task.dueAt ?? null,
          task.acknowledgedAt ?? null,
          task.status === 'returned' ? changedAt : null,
          task.status === 'revoked' ? changedAt : null,
        ],
      );
      await m.query(`DELETE FROM task_items WHERE task_id = $1 AND NOT (measure_id = ANY($2))`, [
        task.taskId,
        measureIds,
      ]);
      await m.query(
        `INSERT INTO task_items (task_id, measure_id, memorandum)
         SELECT $1, x, coalesce(km.memorandum, '') FROM unnest($2::text[]) x LEFT JOIN known_measures km ON km.code = x
         ON CONFLICT DO NOTHING`,
        [task.taskId, measureIds],
      );
    });
  }
}
