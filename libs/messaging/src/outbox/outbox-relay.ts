import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction, outsideTransactions } from '@jrp/database';
import { EventBus } from '../bus/event-bus';
import { Metrics } from '../observability/metrics';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { FeedMessage, RelayFeed } from './relay-feed';

export interface RelayOptions {
  batchSize: number;
  idleMillis: number;
  errorBackoffMillis: number;
  /** Sent rows taken off `outbox_pending` between two vacuums of it. */
  vacuumEvery: number;
}

/**
 * Sends the outbox to the bus in `seq` order, and the service's feeds (`RelayFeed`, measures' task feed)
 * by cursor. One relay at a time per schema holds a transaction-scoped advisory lock, so replicas never
 * interleave and per-key order holds. Sent rows leave `outbox_pending`, and a feed's cursor moves past
 * its sent rows, in the same transaction, only after the bus accepted them: a crash resends, never skips.
 * The outbox itself keeps the events (for inspection); nothing rewrites them.
 *
 * A feed is read only once the outbox is caught up (its batch was not full): events a service wrote to
 * its outbox before an upgrade moved them to a feed go out before the feed's, so per-key order holds
 * across the upgrade too.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** Rows were committed since the current drain began reading: drain again at once instead of sleeping. */
  private woken = false;
  private sentSinceVacuum = 0;
  private unsubscribe?: () => void;
  private readonly repository: OutboxRepository;
  private readonly feeds: RelayFeed[] = [];

  constructor(
    readonly service: string,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly bus: EventBus,
    private readonly options: RelayOptions,
    private readonly metrics?: Metrics,
  ) {
    this.logger = new Logger(`OutboxRelay:${service}`);
    this.repository = new OutboxRepository(dataSource);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.outbox.onWake(() => {
      this.woken = true;
      this.wakeUp?.();
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wakeUp?.();
    await this.loop;
  }

  /** Sends `feed`'s rows too, by its cursor (call before `start`). */
  addFeed(feed: RelayFeed): void {
    this.feeds.push(feed);
  }

  /** Sends one batch; returns how many events were sent (0 when idle or another replica holds the lock). */
  async drainOnce(): Promise<number> {
    return (await this.drainBatch()).sent;
  }

  /**
   * One batch of the outbox and, once the outbox is caught up, of each feed, published together in
   * that order; `full`: some source had more than a batch, so drain again at once.
   */
  private async drainBatch(): Promise<{ sent: number; full: boolean; dequeued: number }> {
    const limit = this.options.batchSize;
    const { sent, full, dequeued } = await inTransaction(this.dataSource, async () => {
      if (!(await this.repository.tryLockRelay())) return { sent: [] as FeedMessage[], full: false, dequeued: 0 };
      // the reads below see every commit announced so far (each statement reads what has committed before
      // it): only a wake-up from now on means rows they may miss
      this.woken = false;
      const rows = await this.repository.nextBatch(limit);
      let full = rows.length === limit;
      const fed: { feed: RelayFeed; position: string; messages: FeedMessage[] }[] = [];
      if (!full) {
        for (const feed of this.feeds) {
          const batch = await feed.next(limit);
          if (!batch) continue;
          fed.push({ feed, ...batch });
          full ||= batch.read === limit;
        }
      }
      const messages: FeedMessage[] = [...rows, ...fed.flatMap((f) => f.messages)];
      if (messages.length > 0) {
        // the bus is outside this transaction: the in-process bus runs the consumers, which open their own
        await outsideTransactions(() =>
          this.bus.publish(messages.map((r) => ({ topic: r.topic, key: r.key, value: r.envelope }))),
        );
      }
      if (rows.length > 0) await this.repository.markSent(rows.map((r) => r.seq));
      for (const f of fed) await f.feed.advance(f.position);
      return { sent: messages, full, dequeued: rows.length };
    });
    if (this.metrics) {
      const byType = new Map<string, number>();
      for (const r of sent) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
      for (const [type, n] of byType) this.metrics.eventsPublished.inc({ service: this.service, type }, n);
    }
    return { sent: sent.length, full, dequeued };
  }

  /** Unsent events, the outbox's and the feeds': the backlog. */
  async backlog(): Promise<number> {
    return (await this.backlogStats()).count;
  }

  /** Unsent events (the outbox's and the feeds') and the age of the oldest, in seconds (0 when none). */
  async backlogStats(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const stats = [await this.repository.backlogStats()];
    for (const feed of this.feeds) stats.push(await feed.backlogStats());
    return {
      count: stats.reduce((sum, s) => sum + s.n, 0),
      oldestAgeSeconds: Math.max(0, ...stats.map((s) => s.age)),
    };
  }

  /** Unsent events older than `seconds`, counted up to `cap` (readiness: a bounded query however large the backlog). */
  async staleBacklog(seconds: number, cap: number): Promise<number> {
    let n = await this.repository.staleBacklog(seconds, cap);
    for (const feed of this.feeds) if (n < cap) n += await feed.staleBacklog(seconds, cap - n);
    return Math.min(n, cap);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let dequeued = 0;
      let full = false;
      let failed = false;
      this.woken = false;
      try {
        ({ dequeued, full } = await this.drainBatch());
      } catch (error) {
        failed = true;
        if (this.running) this.logger.warn(`relay batch failed, will retry: ${(error as Error).message}`);
      }
      if (!this.running) break;
      this.sentSinceVacuum += dequeued;
      if (this.sentSinceVacuum >= this.options.vacuumEvery) await this.vacuum();
      // a wake-up during the drain would otherwise be lost, and its events wait out the idle sleep
      if (!failed && (full || this.woken)) continue;
      await this.sleep(failed ? this.options.errorBackoffMillis : this.options.idleMillis);
    }
  }

  /**
   * `outbox_pending` is a queue: every sent row leaves a dead one behind, and the relay's next read
   * walks past them until a vacuum removes them. Autovacuum comes by the minute at best and, after a
   * burst, is busy with the large tables: a fan-out left 576,000 dead rows here, each read took 15 ms
   * and the relays' reads took a core. So the relay vacuums its queue itself every `vacuumEvery` rows
   * sent (a few milliseconds on a small table; skipped if another session holds it).
   */
  private async vacuum(): Promise<void> {
    this.sentSinceVacuum = 0;
    try {
      await this.repository.vacuumQueue();
    } catch (error) {
      if (this.running) this.logger.warn(`vacuum of outbox_pending failed: ${(error as Error).message}`);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
