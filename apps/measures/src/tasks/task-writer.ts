import { Injectable } from '@nestjs/common';
import { TaskChangedData, TaskChangeType } from '@jrp/contracts';
import { Correlation, OutboxService } from '@jrp/messaging';
import { TaskFeedRepository } from './feed/task-feed.repository';
import { TasksRepository } from './tasks.repository';

/** One new version of a task: its full state after the change. */
export interface TaskChange {
  type: TaskChangeType;
  task: TaskChangedData;
  /** The Asia/Shanghai date its due date counts from (null for a task never dispatched). */
  dispatchedOn: string | null;
}

/** A task as stored, ready to become the base of its next change. */
export interface StoredTask {
  task: TaskChangedData;
  dispatchedOn: string | null;
}

/**
 * The one way task changes are written: the task row and its feed item, in the transaction open here,
 * so the two never disagree. The feed item is the change's record and its event too: the relay sends
 * the task events from the feed by cursor (`TaskEventFeed`), woken when this transaction commits.
 * Matching, receipt, return, reassignment and counter checks all go through here.
 */
@Injectable()
export class TaskWriter {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly feed: TaskFeedRepository,
    private readonly outbox: OutboxService,
  ) {}

  async write(changes: TaskChange[]): Promise<void> {
    if (changes.length === 0) return;
    this.outbox.wakeAfterCommit(); // throws outside a transaction: a change never commits apart from its feed item
    await this.tasks.upsert(
      changes.map(({ task: s, dispatchedOn }) => ({
        id: s.taskId,
        entryId: s.entryId,
        entryVersion: s.entryVersion,
        organization: s.organization,
        listType: s.listType,
        region: s.region,
        subject: JSON.stringify(s.subject),
        measures: JSON.stringify(s.measures),
        status: s.status,
        version: s.version,
        entryDisputed: s.disputed === true,
        dispatchedOn,
        dueAt: s.dueAt ?? null,
        acknowledgedAt: s.acknowledgedAt ?? null,
        returnReason: s.returnReason ?? null,
        revocation: s.revocation ? JSON.stringify(s.revocation) : null,
        lifting: s.lifting ? JSON.stringify(s.lifting) : null,
      })),
    );
    // the task after the change is the feed item and its event's data; the event keeps the correlation
    // id of the work that caused it (the request, or the input event of its entry)
    await this.feed.append(
      changes.map(({ type, task }) => ({
        type,
        task,
        json: JSON.stringify(task),
        correlationId: Correlation.forKey(task.entryId),
      })),
    );
  }

  /** Locks and reads one task for its next change; `organization` restricts it to its owner. */
  async lock(id: string, organization?: string): Promise<StoredTask | undefined> {
    const row = await this.tasks.lock(id, organization);
    if (!row) return undefined;
    return {
      dispatchedOn: row.dispatchedOn,
      task: {
        taskId: row.id,
        version: row.version,
        entryId: row.entryId,
        entryVersion: row.entryVersion,
        organization: row.organization,
        organizationName: row.organizationName,
        listType: row.listType,
        listTypeName: row.listTypeName ?? row.listType,
        region: row.region,
        subject: row.subject,
        measures: row.measures,
        status: row.status,
        disputed: row.entryDisputed,
        dueAt: row.dueAt ? new Date(row.dueAt).toISOString() : null,
        changedAt: new Date().toISOString(),
        acknowledgedAt: row.acknowledgedAt ? new Date(row.acknowledgedAt).toISOString() : null,
        returnReason: row.returnReason,
        // present only when there is one, so the other changes' events keep their shape
        ...(row.revocation ? { revocation: row.revocation } : {}),
        ...(row.lifting ? { lifting: row.lifting } : {}),
      },
    };
  }
}
