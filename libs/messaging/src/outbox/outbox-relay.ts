import { Logger } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { inTransaction, onConnection, outsideTransactions } from '@jrp/database';
import { EventBus } from '../bus/event-bus';
import { Metrics } from '../observability/metrics';
import { OutboxMessage, OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { FeedMessage, RelayFeed } from './relay-feed';

export interface RelayOptions {
  batchSize: number;
  idleMillis: number;
  errorBackoffMillis: number;
  /** Sent rows taken off `outbox_pending` between two vacuums of it. */
  vacuumEvery: number;
}

/** One batch read: the outbox's rows and, once the outbox was caught up, each feed's. */
interface Batch {
  rows: OutboxMessage[];
  fed: { feed: RelayFeed; position: string; messages: FeedMessage[] }[];
  /** What is sent: the outbox's rows, then the feeds' messages. */
  messages: FeedMessage[];
  /** Each feed's position after this batch and the batches before it in the same drain. */
  positions: Map<RelayFeed, string>;
  /** Some source had more than a batch: read the next one at once. */
  full: boolean;
}

/** Batches one drain sends before it lets the loop vacuum and look around (the read-ahead restarts then). */
const BATCHES_PER_DRAIN = 16;

/**
 * Sends the outbox to the bus in `seq` order, and the service's feeds (`RelayFeed`, measures' task feed)
 * by cursor. One relay at a time per schema leads: it holds a session advisory lock on a connection of
 * its own for as long as it runs, and every statement of its batches goes over that connection, so
 * replicas never interleave and per-key order holds, and a relay whose session is gone (a crash, a lost
 * connection) fails its next statement instead of sending beside a new leader. Sent rows leave
 * `outbox_pending`, and a feed's cursor moves past its sent rows (one transaction when both), only after
 * the bus accepted them: a crash resends, never skips. The outbox itself keeps the events (for
 * inspection); nothing rewrites them.
 *
 * Each statement commits alone, so a batch costs one read and one delete (or cursor move) besides the
 * send; while the bus takes a full batch, the next one is read. The outbox's read-ahead leaves out only
 * the rows in flight, never the seqs below them: an outbox seq is taken before its transaction commits,
 * so a lower seq can become visible after a higher one was read, and it must go before a later event of
 * its key.
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
  /** Rows were committed since the current drain's last read began: drain again at once instead of sleeping. */
  private woken = false;
  private sentSinceVacuum = 0;
  private unsubscribe?: () => void;
  private readonly repository: OutboxRepository;
  private readonly feeds: RelayFeed[] = [];
  /** The connection holding the relay's lock while this relay leads. */
  private leader?: QueryRunner;

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

  /** Stops after the batch in flight, and gives the lead back. */
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

  /**
   * Batches while they come full (up to `BATCHES_PER_DRAIN`), each read while the bus takes the one
   * before; nothing when another replica leads. `more`: drain again at once.
   */
  private async drain(): Promise<{ dequeued: number; more: boolean }> {
    const leader = await this.lead();
    if (!leader) return { dequeued: 0, more: false };
    return onConnection(this.dataSource, leader, async () => {
      let dequeued = 0;
      let batch = await this.read();
      for (let n = 1; batch.rows.length > 0 || batch.fed.length > 0; n++) {
        const sending = this.send(batch);
        const next = batch.full && n < BATCHES_PER_DRAIN && this.running ? this.read(batch) : undefined;
        // awaited below; when the send fails it is dropped, and must not be an unhandled rejection
        next?.catch(() => undefined);
        await sending;
        await this.acknowledge(batch);
        dequeued += batch.rows.length;
        if (!next) return { dequeued, more: batch.full };
        batch = await next;
      }
      return { dequeued, more: false };
    });
  }

  /** The next batch: after `previous` (read, still in flight) when given, else from the start. */
  private async read(previous?: Batch): Promise<Batch> {
    const limit = this.options.batchSize;
    // the reads below see every commit announced so far (each statement reads what has committed before
    // it): only a wake-up from now on means rows they may miss
    this.woken = false;
    const rows = await this.repository.nextBatch(
      limit,
      previous?.rows.map((r) => r.seq),
    );
    let full = rows.length === limit;
    const fed: Batch['fed'] = [];
    const positions = new Map(previous?.positions);
    if (!full) {
      for (const feed of this.feeds) {
        const batch = await feed.next(limit, positions.get(feed));
        if (!batch) continue;
        fed.push({ feed, position: batch.position, messages: batch.messages });
        positions.set(feed, batch.position);
        full ||= batch.read === limit;
      }
    }
    return { rows, fed, positions, full, messages: [...rows, ...fed.flatMap((f) => f.messages)] };
  }

  /** Publishes a batch, the outbox's rows first, outside any transaction (the in-process bus runs the consumers, which open their own). */
  private async send(batch: Batch): Promise<void> {
    if (batch.messages.length === 0) return;
    await outsideTransactions(() =>
      this.bus.publish(batch.messages.map((r) => ({ topic: r.topic, key: r.key, value: r.envelope }))),
    );
  }

  /** Takes a sent batch off the queue and moves the feeds' cursors past it (one statement, or one transaction for several), then counts it. */
  private async acknowledge(batch: Batch): Promise<void> {
    const writes: (() => Promise<void>)[] = batch.fed.map((f) => () => f.feed.advance(f.position));
    if (batch.rows.length > 0) writes.unshift(() => this.repository.markSent(batch.rows.map((r) => r.seq)));
    if (writes.length === 1) await writes[0]();
    else if (writes.length > 1)
      await inTransaction(this.dataSource, async () => {
        for (const write of writes) await write();
      });
    if (this.metrics) {
      const byType = new Map<string, number>();
      for (const r of batch.messages) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
      for (const [type, n] of byType) this.metrics.eventsPublished.inc({ service: this.service, type }, n);
    }
  }

  /** The connection holding the relay's lock: this relay's if it leads, else one that just took it; undefined when another replica leads. */
  private async lead(): Promise<QueryRunner | undefined> {
    if (this.leader && !this.leader.isReleased) return this.leader;
    this.leader = undefined;
    const runner = this.dataSource.createQueryRunner();
    let leads = false;
    try {
      await runner.connect();
      leads = await onConnection(this.dataSource, runner, () => this.repository.tryLeadRelay());
    } finally {
      if (!leads) await runner.release();
    }
    if (leads) this.leader = runner;
    return this.leader;
  }

  /**
   * Gives the lock back and the connection to the pool. A connection that broke has lost the lock with
   * its session (and the pool drops it); an unlock that fails on a live one is logged.
   */
  private async resign(): Promise<void> {
    const leader = this.leader;
    this.leader = undefined;
    if (!leader || leader.isReleased) return;
    try {
      await onConnection(this.dataSource, leader, () => this.repository.resignRelay());
    } catch (error) {
      this.logger.warn(`giving the relay's lock back failed: ${(error as Error).message}`);
    } finally {
      await leader.release();
    }
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
      let more = false;
      let failed = false;
      this.woken = false;
      try {
        ({ dequeued, more } = await this.drain());
      } catch (error) {
        failed = true;
        if (this.running) this.logger.warn(`relay batch failed, will retry: ${(error as Error).message}`);
        await this.resign(); // the next round leads again from a fresh session, or follows another replica
      }
      if (!this.running) break;
      this.sentSinceVacuum += dequeued;
      if (this.sentSinceVacuum >= this.options.vacuumEvery) await this.vacuum();
      // a wake-up during the drain would otherwise be lost, and its events wait out the idle sleep
      if (!failed && (more || this.woken)) continue;
      await this.sleep(failed ? this.options.errorBackoffMillis : this.options.idleMillis);
    }
    await this.resign();
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
