import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ConsumerGroups, TaskChangedData, TaskEvents } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { ConsumesEvents } from '@jrp/messaging';
import { TaskStatistics } from '../statistics/task-statistics';
import { cityOf } from '../statistics/regions';
import { TaskCopy, TaskCopyRepository } from './task-copy.repository';

/**
 * Keeps feedback's copy of the tasks (who owns each, which measures it carries, when it is due,
 * whether it was acknowledged, returned or revoked) and the rollups that count them, from every task
 * change. A returned task the office reassigns arrives revoked for the returning organisation and
 * dispatched to the other. Runs in the consumer's transaction (with its inbox row).
 */
@Controller()
export class TaskHandler {
  constructor(
    private readonly stats: TaskStatistics,
    private readonly tasks: TaskCopyRepository,
  ) {}

  @ConsumesEvents(Object.values(TaskEvents), ConsumerGroups.Feedback)
  async onTaskChanged(@Payload() task: TaskChangedData): Promise<void> {
    const before = await this.stats.facts(task.taskId);
    if (before && (await this.tasks.version(task.taskId))! >= task.version) return; // a stale or replayed change
    const copy = taskCopyOf(task);
    await this.stats.change(task.taskId, before, async () => {
      await this.tasks.save(copy);
      await this.tasks.replaceItems(task.taskId, copy.measureIds);
    });
  }
}

/** The row a task change writes (see TaskCopyRepository.save for what a change keeps of the stored one). */
export function taskCopyOf(task: TaskChangedData): TaskCopy {
  const changedAt = new Date(task.changedAt);
  return {
    id: task.taskId,
    version: task.version,
    entryId: task.entryId,
    organization: task.organization,
    organizationName: task.organizationName,
    listType: task.listType,
    listTypeName: task.listTypeName,
    region: task.region,
    city: cityOf(task.region),
    measureIds: task.measures.map((x) => x.id),
    status: task.status,
    dispatchedAt: changedAt,
    dispatchedOn: todayInShanghai(changedAt),
    dueAt: task.dueAt ?? null,
    acknowledgedAt: task.acknowledgedAt ?? null,
    returnedAt: task.status === 'returned' ? changedAt : null,
    revokedAt: task.status === 'revoked' ? changedAt : null,
    revocationReason: task.revocation?.reason ?? null,
    revocationAt: task.revocation?.revokedAt ?? null,
    liftBy: task.revocation?.liftBy ?? null,
    liftedAt: task.lifting?.liftedAt ?? null,
    liftNote: task.lifting?.note ?? null,
    liftConfirmedAt: task.lifting?.confirmedAt ?? null,
    personalNames: [
      ...(task.subject.kind === 'natural' && task.subject.name ? [task.subject.name] : []),
      ...(task.subject.legalRepresentativeName ? [task.subject.legalRepresentativeName] : []),
    ],
  };
}
