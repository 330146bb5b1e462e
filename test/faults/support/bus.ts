import { Admin, Kafka, logLevel } from 'kafkajs';
import { KafkaBus } from '@jrp/messaging';
import { SchemaProbe } from '@jrp/testing';
import { GROUPS, READERS } from './topology';
import { Schemas } from './checks';

export interface Lag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A KafkaBus of the test's own (no prefix: the broker is the suite's), started for the duration of `work`. */
export async function withBus<T>(brokers: string, work: (bus: KafkaBus) => Promise<T>): Promise<T> {
  const bus = new KafkaBus({
    brokers: [brokers],
    clientId: 'jrp-faults',
    prefix: '',
    partitions: 3,
    replicationFactor: 1,
    sessionTimeoutMs: 10000,
    heartbeatIntervalMs: 1000,
    concurrency: 1,
  });
  await bus.start();
  try {
    return await work(bus);
  } finally {
    await bus.stop();
  }
}

/** measures' task events its relay has not sent yet: the feed rows after its cursor. */
const UNSENT_TASK_EVENTS = `SELECT 1 FROM task_changes WHERE seq > (SELECT seq FROM relay_cursors WHERE feed = 'task_changes')`;

/**
 * Watches for quiet: nothing left in any outbox nor in measures' task feed after the relay's cursor, every consumer group's committed offsets at the end of
 * every partition it reads (lag through the kafkajs admin), and no entry left to expire.
 */
export class QuietWatch {
  constructor(
    private readonly brokers: string,
    private readonly schemas: Schemas,
  ) {}

  async lags(admin: Admin): Promise<Lag[]> {
    const out: Lag[] = [];
    const ends = new Map<string, { partition: number; high: string; low: string }[]>();
    for (const group of GROUPS) {
      const topics = Object.keys(READERS[group]);
      const committed = await admin.fetchOffsets({ groupId: group, topics });
      for (const { topic, partitions } of committed) {
        if (!ends.has(topic)) ends.set(topic, await admin.fetchTopicOffsets(topic));
        for (const end of ends.get(topic)!) {
          const at = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          const lag = Number(end.high) - (Number(at) < 0 ? Number(end.low) : Number(at));
          if (lag > 0) out.push({ group, topic, partition: end.partition, lag });
        }
      }
    }
    return out;
  }

  async pending(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, probe] of Object.entries(this.schemas) as [string, SchemaProbe][])
      out[name] = await probe.count('SELECT 1 FROM outbox_pending');
    // measures sends its task events from the feed, by the relay's cursor: nothing unsent there either
    out.taskEvents = await this.schemas.measures.count(UNSENT_TASK_EVENTS);
    out.unexpired = await this.schemas.lists.count(
      `SELECT 1 FROM list_entries WHERE status IN ('active', 'watch') AND valid_until < (now() AT TIME ZONE 'Asia/Shanghai')::date`,
    );
    return out;
  }

  /** Resolves with the moment quiet began (seen twice, a second apart); rejects with what is still moving after `timeoutMs`. */
  async waitQuiet(timeoutMs: number): Promise<number> {
    const kafka = new Kafka({
      clientId: 'jrp-faults-watch',
      brokers: [this.brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });
    const admin = kafka.admin();
    await admin.connect();
    const deadline = Date.now() + timeoutMs;
    let since: number | undefined;
    let last: string;
    try {
      for (;;) {
        const at = Date.now();
        let quiet = false;
        try {
          const [pending, lags] = await Promise.all([this.pending(), this.lags(admin)]);
          quiet = Object.values(pending).every((n) => n === 0) && lags.length === 0;
          last = JSON.stringify({ pending, lags: lags.slice(0, 10) });
        } catch (error) {
          last = (error as Error).message;
        }
        if (quiet && since !== undefined) return since;
        since = quiet ? at : undefined;
        if (Date.now() > deadline) throw new Error(`not quiet after ${timeoutMs / 1000} s: ${last}`);
        await sleep(quiet ? 1000 : 500);
      }
    } finally {
      await admin.disconnect();
    }
  }
}
