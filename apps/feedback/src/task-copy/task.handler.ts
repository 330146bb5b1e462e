import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConsumerGroups, TaskChangedData, TaskEvents } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';

/** Keeps feedback's copy of the tasks: who owns each, which measures it carries, whether it stands. */
@Controller()
export class TaskHandler {
  @ConsumesEvents([TaskEvents.Dispatched, TaskEvents.Updated, TaskEvents.Revoked], ConsumerGroups.Feedback)
  async onTaskChanged(@Payload() task: TaskChangedData, @Ctx() { manager: m }: ConsumerContext): Promise<void> {
    const changedAt = new Date(task.changedAt);
    await m.query(
      `INSERT INTO known_tasks (id, version, entry_id, organization, organization_name, list_type, region, measure_ids, status,
         dispatched_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET version = $2, organization_name = $5, measure_ids = $8, status = $9,
         revoked_at = $11, updated_at = now()
       WHERE known_tasks.version < $2`,
      [task.taskId, task.version, task.entryId, task.organization, task.organizationName, task.listType, task.region,
        task.measures.map((x) => x.id), task.status, changedAt, task.status === 'revoked' ? changedAt : null],
    );
  }
}
