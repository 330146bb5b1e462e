import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { eventIdOf, TaskEventOfChange, topicOf } from '@jrp/contracts';
import { envelopeOf, FeedBatch, FeedMessage, OutboxRelay, OutboxService, RelayFeed } from '@jrp/messaging';
import { TaskChangeNotifier } from './task-change-notifier';
import { TaskFeedRepository, UnsentFeedRow } from './task-feed.repository';

/** The CloudEvents source of measures' events. */
export const MEASURES_SOURCE = '/jrp/measures';

/**
 * A feed row's event, exactly as the outbox would have stored it: the deterministic id of the task's
 * version and change, the entry id as key, the change's time and correlation id, and the stored task
 * text as data. Undefined for a row written before the feed became the events' record (its event is in
 * the outbox). Exported for the tests that read the events as sent.
 */
export function taskEventOf(row: UnsentFeedRow, source = MEASURES_SOURCE): FeedMessage | undefined {
  if (row.eventKey === null || row.changedAt === null) return undefined;
  const type = TaskEventOfChange[row.type];
  return {
    topic: topicOf(type),
    key: row.eventKey,
    type,
    envelope: envelopeOf(
      source,
      {
        id: eventIdOf('task', row.taskId, row.taskVersion, type),
        type,
        key: row.eventKey,
        subject: `tasks/${row.taskId}`,
        data: undefined,
        json: row.task,
        time: new Date(row.changedAt),
      },
      row.correlationId ?? undefined,
    ),
  };
}

/**
 * The task events, sent by measures' relay from the feed (`task_changes`) by cursor: the feed is the
 * single record of a task change, no copy of it goes to the outbox. Seq order is commit order (the
 * feed's lock), so the cursor never passes a row still to commit. Other replicas' commits wake this
 * replica's relay too (the feed's NOTIFY), so whichever relay holds the lock next sends them at once;
 * its own commits' NOTIFY does not wake it a second time (the writer woke it already on commit).
 */
@Injectable()
export class TaskEventFeed implements RelayFeed, OnModuleInit, OnModuleDestroy {
  readonly name = 'task_changes';
  private readonly source: string;
  private unsubscribe?: () => void;

  constructor(
    private readonly repository: TaskFeedRepository,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
    private readonly notifier: TaskChangeNotifier,
  ) {
    this.source = `/jrp/${outbox.service}`;
  }

  onModuleInit(): void {
    this.relay.addFeed(this);
    // another replica's commits; this process's own wake its relay as they commit (TaskWriter)
    this.unsubscribe = this.notifier.subscribe((_, ownCommit) => {
      if (!ownCommit) this.outbox.wake();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async next(limit: number, position?: string): Promise<FeedBatch | undefined> {
    const rows = await this.repository.unsent(limit, position);
    if (rows.length === 0) return undefined;
    const messages: FeedMessage[] = [];
    for (const row of rows) {
      const message = taskEventOf(row, this.source);
      if (message) messages.push(message);
    }
    return { position: rows[rows.length - 1].seq, read: rows.length, messages };
  }

  advance(position: string): Promise<void> {
    return this.repository.advanceRelayCursor(position);
  }

  backlogStats(): Promise<{ n: number; age: number }> {
    return this.repository.unsentStats();
  }

  staleBacklog(seconds: number, cap: number): Promise<number> {
    return this.repository.staleUnsent(seconds, cap);
  }
}
