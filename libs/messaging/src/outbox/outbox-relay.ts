import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction, outsideTransactions } from '@jrp/database';
import { EventBus } from '../bus/event-bus';
import { Metrics } from '../observability/metrics';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

export interface RelayOptions {
  batchSize: number;
  idleMillis: number;
  errorBackoffMillis: number;
  /** Sent rows taken off `outbox_pending` between two vacuums of it. */
  vacuumEvery: number;
}

/**
 * Sends the outbox to the bus in `seq` order. One relay at a time per schema holds a transaction-scoped
 * advisory lock, so replicas never interleave and per-key order holds. Sent rows leave `outbox_pending`
 * in the same transaction, only after the bus accepted them: a crash resends, never skips. The outbox
 * itself keeps the events (for inspection); nothing rewrites them.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** Rows were committed since the current drain began: drain again at once instead of sleeping. */
  private woken = false;
  private sentSinceVacuum = 0;
  private unsubscribe?: () => void;
  private readonly repository: OutboxRepository;

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

  /** Sends one batch; returns how many rows were sent (0 when idle or another replica holds the lock). */
  async drainOnce(): Promise<number> {
    const sent = await inTransaction(this.dataSource, async () => {
      if (!(await this.repository.tryLockRelay())) return [];
      const rows = await this.repository.nextBatch(this.options.batchSize);
      if (rows.length === 0) return [];
      // the bus is outside this transaction: the in-process bus runs the consumers, which open their own
      await outsideTransactions(() =>
        this.bus.publish(rows.map((r) => ({ topic: r.topic, key: r.key, value: r.envelope }))),
      );
      await this.repository.markSent(rows.map((r) => r.seq));
      return rows;
    });
    if (this.metrics) {
      const byType = new Map<string, number>();
      for (const r of sent) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
      for (const [type, n] of byType) this.metrics.eventsPublished.inc({ service: this.service, type }, n);
    }
    return sent.length;
  }

  /** Unsent rows: the backlog. */
  backlog(): Promise<number> {
    return this.repository.backlog();
  }

  /** Unsent rows and the age of the oldest, in seconds (0 when none). */
  async backlogStats(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const row = await this.repository.backlogStats();
    return { count: row.n, oldestAgeSeconds: Math.max(0, row.age) };
  }

  /** Unsent rows older than `seconds`, counted up to `cap` (readiness: a bounded query however large the backlog). */
  staleBacklog(seconds: number, cap: number): Promise<number> {
    return this.repository.staleBacklog(seconds, cap);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sent = 0;
      let failed = false;
      this.woken = false;
      try {
        sent = await this.drainOnce();
      } catch (error) {
        failed = true;
        if (this.running) this.logger.warn(`relay batch failed, will retry: ${(error as Error).message}`);
      }
      if (!this.running) break;
      this.sentSinceVacuum += sent;
      if (this.sentSinceVacuum >= this.options.vacuumEvery) await this.vacuum();
      // a wake-up during the drain would otherwise be lost, and its events wait out the idle sleep
      if (!failed && (sent === this.options.batchSize || this.woken)) continue;
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
