import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventBus } from '../bus/event-bus';
import { Metrics } from '../observability/metrics';
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

  constructor(
    readonly service: string,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly bus: EventBus,
    private readonly options: RelayOptions,
    private readonly metrics?: Metrics,
  ) {
    this.logger = new Logger(`OutboxRelay:${service}`);
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
    const sent = await this.dataSource.transaction(async (em) => {
      const [{ locked }] = await em.query<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox-relay')) AS locked`,
      );
      if (!locked) return [];
      const rows = await em.query<{ seq: string; topic: string; key: string; type: string; envelope: string }[]>(
        // the first pending seqs, then each event by its key (never a scan of the whole outbox); the
        // envelope as stored text: what was written is what is sent, with no parse and re-serialization
        `SELECT o.seq, o.topic, o.key, o.type, o.envelope::text AS envelope
         FROM (SELECT seq FROM outbox_pending ORDER BY seq LIMIT $1) p
         CROSS JOIN LATERAL (SELECT seq, topic, key, type, envelope FROM outbox WHERE outbox.seq = p.seq) o
         ORDER BY p.seq`,
        [this.options.batchSize],
      );
      if (rows.length === 0) return [];
      await this.bus.publish(rows.map((r) => ({ topic: r.topic, key: r.key, value: r.envelope })));
      await em.query(`DELETE FROM outbox_pending WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
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
  async backlog(): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox_pending`);
    return n;
  }

  /** Unsent rows and the age of the oldest, in seconds (0 when none). */
  async backlogStats(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query<{ n: number; age: number }[]>(
      `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(o.created_at)), 0)::float8 AS age
       FROM outbox_pending p JOIN outbox o ON o.seq = p.seq`,
    );
    return { count: row.n, oldestAgeSeconds: Math.max(0, row.age) };
  }

  /** Unsent rows older than `seconds`, counted up to `cap` (readiness: a bounded query however large the backlog). */
  async staleBacklog(seconds: number, cap: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM outbox_pending p JOIN outbox o ON o.seq = p.seq WHERE o.created_at < now() - make_interval(secs => $1) LIMIT $2) x`,
      [seconds, cap],
    );
    return n;
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
      await this.dataSource.query(`VACUUM (SKIP_LOCKED) outbox_pending`);
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
