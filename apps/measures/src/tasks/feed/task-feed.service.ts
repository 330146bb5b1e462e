import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AuditRecorder } from '@jrp/audit';
import { TaskChangeNotifier } from './task-change-notifier';
import { FeedChange, TaskFeedRepository } from './task-feed.repository';

/**
 * Reading an organisation's changes, now or as soon as there are some: the long poll and the stream.
 * A waiter subscribes before it reads, so a change committed in between wakes it. Each read that
 * returns changes (their subjects) is audited: once per long poll, once per batch of a stream.
 */
@Injectable()
export class TaskFeedService implements OnModuleDestroy {
  /** Aborted first thing at shutdown: long polls answer empty and streams end, so the HTTP server can close. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly repository: TaskFeedRepository,
    private readonly notifier: TaskChangeNotifier,
    private readonly audit: AuditRecorder,
  ) {}

  get closing(): AbortSignal {
    return this.shutdown.signal;
  }

  onModuleDestroy(): void {
    this.shutdown.abort();
  }

  /** Changes after `afterSeq`; when there are none, waits up to `waitMs` for the first ones. */
  async read(
    organization: string,
    afterSeq: string,
    limit: number,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<FeedChange[]> {
    const deadline = Date.now() + waitMs;
    const signals = AbortSignal.any([this.shutdown.signal, ...(signal ? [signal] : [])]);
    for (;;) {
      const remaining = deadline - Date.now();
      const wake =
        remaining > 0 && !signals.aborted ? this.notifier.waitFor(organization, remaining, signals) : undefined;
      const changes = await this.repository.read(organization, afterSeq, limit);
      if (changes.length > 0 || !wake) {
        wake?.cancel();
        if (changes.length > 0) {
          const objectId = `seq ${changes[0].seq}..${changes[changes.length - 1].seq} (${changes.length})`;
          await this.audit.recordRead({ action: 'task-feed.read', objectType: 'task-feed', objectId });
        }
        return changes;
      }
      if (!(await wake.promise)) return [];
    }
  }
}
