import { Logger } from '@nestjs/common';
import { Admin, Consumer, EachBatchPayload, IHeaders, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { deadLetterTopic, Topics } from '@jrp/contracts';
import { BusMessage, BusSubscription, ConsumerLag, DeadLetterSink, EventBus } from '../bus/event-bus';
import { isInfrastructureError } from '../consumer/errors';
import { DeadLetterStore, GroupDataSources } from '../dead-letter/dead-letters';
import { DeadLetterTopicAccess, KafkaDeadLetters, StoredMessage } from './kafka-dead-letters';
import { earliestStuck, judgeConsumer, ReplaceReason, Stuck, trackStuck } from './consumer-watchdog';
import { ProducerSlot, withDeadline } from './producer-slot';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Prefixed to every topic and consumer group (several deployments or test suites on one broker). */
  prefix: string;
  partitions: number;
  replicationFactor: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  /** Partitions of one group handled at the same time (order holds within a partition). */
  concurrency: number;
  /** A send (connecting included) that takes longer fails, and the producer is replaced; 30 s by default. */
  sendTimeoutMs?: number;
  /**
   * A consumer that neither fetched nor moved an assigned partition with lag for this long, while the
   * broker answered and no batch was in hand, is replaced (see `judgeConsumer`); 90 s by default, longer
   * than the 60 s a rebalance may wait for a slow member.
   */
  consumerStallMs?: number;
  /** How often the consumer watchdog looks; 5 s by default. */
  watchdogIntervalMs?: number;
}

/** One consumer of a group, with what the watchdog watches. A replaced one is retired and never handles again. */
interface ConsumerRun {
  consumer: Consumer;
  startedAt: number;
  crashedForGood: boolean;
  crashError?: string;
  lastFetchAt?: number;
  /** Batches in hand (several partitions at once), since when, and when the last one ended. */
  busy: number;
  busySince?: number;
  lastBusyAt?: number;
  /** The partitions the group gave this member at its last join (physical topic → partitions). */
  assigned: Record<string, number[]>;
  retired: boolean;
}

export const STRUCTURED = 'application/cloudevents+json; charset=utf-8';

/** A message as read back from a topic, with its place in it. */

/** `<topic>.dlq.<group>`, the way `deadLetterTopic` names them. */
const DLQ_NAME = /^(.+)\.dlq\.([^.]+)$/;

/** Messages of one partition handled together (in one transaction when they can be). */
const SUB_BATCH = 100;

function headersOf(raw: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return out;
}

/**
 * The bus on Apache Kafka (kafkajs; the only module of jrp that imports it). Producer: idempotent,
 * `acks: all`, one request in flight, so a key's messages keep their order; replaced after a failed or
 * overdue send (see `ProducerSlot`). Consumers: one group per
 * service, offsets resolved only after `handle` has committed the inbox transaction (or set the message
 * aside on the group's dead-letter topic); when the service's database is down the message is retried
 * in place, with heartbeats, until it comes back.
 */
export class KafkaBus extends EventBus implements DeadLetterTopicAccess {
  readonly name = 'kafka';
  private readonly logger = new Logger('KafkaBus');
  private readonly kafka: Kafka;
  private readonly producer: ProducerSlot<Producer>;
  private admin?: Admin;
  /** Each group's current consumer. */
  private readonly runs = new Map<string, ConsumerRun>();
  /** Each group's subscription: its topics (logical names, for its lag) and handler, to start a replacement. */
  private readonly subscribed = new Map<string, BusSubscription>();
  private readonly stopping = new Set<string>();
  /** Per group, the assigned partitions with lag whose committed offset has not moved (the watchdog's memory). */
  private readonly stuck = new Map<string, Map<string, Stuck>>();
  private watchdog?: NodeJS.Timeout;
  private watching = false;
  /** The watchdog's broker probe in flight. */
  private probe?: Promise<boolean>;
  /** Since when the broker has answered the watchdog's probes without interruption. */
  private brokerAnswersSince?: number;
  private readonly ensured = new Set<string>();

  constructor(private readonly options: KafkaBusOptions) {
    super();
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log }) => {
          // Exactly-once is not what jrp relies on (the inboxes are): bounded producer retries are chosen.
          if (log.message.startsWith('Limiting retries for the idempotent producer')) return;
          // topics that exist already: ensureTopics expects it, checks that they all show up, and throws otherwise
          if (String(log.error ?? '').includes('Topic creation errors')) return;
          const text = `${log.message}${log.error ? `: ${log.error}` : ''}`;
          if (level <= logLevel.ERROR) this.logger.error(text);
          else this.logger.warn(text);
        },
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    });
    this.producer = new ProducerSlot(
      () =>
        this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
        }),
      options.sendTimeoutMs ?? 30_000,
      (reason) => this.logger.warn(`the producer is replaced after a failed send (${reason})`),
    );
  }

  topic(logical: string): string {
    return `${this.options.prefix}${logical}`;
  }

  private logical(physical: string): string {
    return physical.startsWith(this.options.prefix) ? physical.slice(this.options.prefix.length) : physical;
  }

  async start(): Promise<void> {
    await this.connect();
    await this.ensureTopics(Object.values(Topics));
  }

  /** Connects the admin client and the producer, creating nothing (operators' tools on an existing deployment). */
  async connect(): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    await Promise.all([...this.runs.keys()].map((g) => this.unsubscribe(g)));
    await this.producer.stop();
    await this.admin?.disconnect();
  }

  /** Creates topics that do not exist yet, with explicit partition counts. */
  async ensureTopics(logical: string[]): Promise<void> {
    const missing = logical.filter((t) => !this.ensured.has(t));
    if (missing.length === 0) return;
    const request = this.admin!.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: this.topic(t),
        numPartitions: t === Topics.Catalogue ? 1 : this.options.partitions,
        replicationFactor: this.options.replicationFactor,
        // The catalogue is read from the beginning by every new service, and a dead letter waits for an
        // operator however long that takes: keep them.
        ...(t === Topics.Catalogue || DLQ_NAME.test(t)
          ? { configEntries: [{ name: 'retention.ms', value: '-1' }] }
          : {}),
      })),
    });
    try {
      await request;
    } catch (error) {
      // Another service created some of them at the same moment, or the broker has not published the
      // new topics' metadata yet (KRaft propagates it asynchronously): fine once they all show up.
      for (let attempt = 0; ; attempt++) {
        const existing = new Set(await this.admin!.listTopics());
        if (missing.every((t) => existing.has(this.topic(t)))) break;
        if (attempt === 40) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    missing.forEach((t) => this.ensured.add(t));
  }

  async publish(messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const byTopic = new Map<string, BusMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    const topicMessages = [...byTopic].map(([topic, list]) => ({
      topic: this.topic(topic),
      messages: list.map((m) => ({
        key: m.key,
        value: m.value,
        headers: m.headers ?? { 'content-type': STRUCTURED },
      })),
    }));
    await this.producer.use((producer) => producer.sendBatch({ acks: -1, topicMessages }));
  }

  async subscribe(subscription: BusSubscription): Promise<void> {
    const { group } = subscription;
    await this.ensureTopics([...subscription.topics, ...subscription.topics.map((t) => deadLetterTopic(group, t))]);
    this.subscribed.set(group, subscription);
    try {
      await this.startConsumer(subscription);
    } catch (error) {
      this.runs.delete(group);
      this.subscribed.delete(group);
      throw error;
    }
    this.logger.log(`${group} consumes ${subscription.topics.join(', ')}`);
    this.watchdog ??= setInterval(() => void this.watch(), this.options.watchdogIntervalMs ?? 5000).unref();
  }

  /** A new consumer for the group, registered as its current one before it connects (a failed start is seen by the watchdog). */
  private async startConsumer(subscription: BusSubscription): Promise<void> {
    const { group } = subscription;
    const consumer = this.kafka.consumer({
      groupId: this.topic(group),
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs,
      allowAutoTopicCreation: false,
      // an idle fetch waits at most 1 s: a stopping consumer leaves its group without waiting out a 5 s poll
      maxWaitTimeInMs: 1000,
    });
    const run: ConsumerRun = {
      consumer,
      startedAt: Date.now(),
      crashedForGood: false,
      busy: 0,
      assigned: {},
      retired: false,
    };
    this.runs.set(group, run);
    const fetched = () => {
      run.lastFetchAt = Date.now();
    };
    consumer.on(consumer.events.FETCH_START, fetched);
    consumer.on(consumer.events.FETCH, fetched);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      run.assigned = payload.memberAssignment;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      run.assigned = {}; // a restarted consumer joins again
      if (run.retired || payload.restart) return;
      run.crashedForGood = true;
      run.crashError = payload.error?.message;
      this.logger.error(`${group}: the consumer crashed and will not restart: ${payload.error?.message}`);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: subscription.topics.map((t) => this.topic(t)), fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        if (run.retired) {
          // a consumer that kafkajs started again behind a disconnect that did not finish: stop it, handle nothing
          void consumer.disconnect().catch(() => undefined);
          return;
        }
        if (run.busy++ === 0) run.busySince = Date.now();
        try {
          await this.handleBatch(group, subscription, run, payload);
        } finally {
          if (--run.busy === 0) {
            run.busySince = undefined;
            run.lastBusyAt = Date.now();
          }
        }
      },
    });
  }

  private async handleBatch(
    group: string,
    subscription: BusSubscription,
    run: ConsumerRun,
    payload: EachBatchPayload,
  ): Promise<void> {
    const { batch } = payload;
    for (
      let i = 0;
      i < batch.messages.length && payload.isRunning() && !payload.isStale() && !run.retired;
      i += SUB_BATCH
    ) {
      const chunk = batch.messages.slice(i, i + SUB_BATCH);
      const messages: BusMessage[] = chunk.map((message) => ({
        topic: this.logical(batch.topic),
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        headers: headersOf(message.headers),
      }));
      await this.handleUntilDone(group, run, batch.topic, subscription, messages, () => payload.heartbeat());
      // the offsets move only once the messages are processed (inbox committed) or set aside
      payload.resolveOffset(chunk[chunk.length - 1].offset);
      await payload.heartbeat();
      await payload.commitOffsetsIfNecessary();
    }
  }

  /** Retries in place while the consumer's database is unreachable, with heartbeats; offsets stay put. */
  private async handleUntilDone(
    group: string,
    run: ConsumerRun,
    topic: string,
    subscription: BusSubscription,
    messages: BusMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    for (let wait = 500; ; wait = Math.min(wait * 2, 10000)) {
      // a long transaction must not cost the member its place in the group (the session would time out,
      // the partitions move and the whole batch is read again): heartbeat while it runs
      const beating = setInterval(() => void heartbeat().catch(() => undefined), this.options.heartbeatIntervalMs);
      try {
        await subscription.handle(messages);
        return;
      } catch (error) {
        if (this.stopping.has(group) || run.retired || !isInfrastructureError(error)) throw error;
        this.logger.warn(`${group}: cannot process ${topic} now (${(error as Error).message}); retrying in ${wait} ms`);
        const until = Date.now() + wait;
        while (Date.now() < until && !this.stopping.has(group) && !run.retired) {
          await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
          await heartbeat().catch(() => undefined);
        }
      } finally {
        clearInterval(beating);
      }
    }
  }

  async unsubscribe(group: string): Promise<void> {
    const run = this.runs.get(group);
    if (!run) return;
    this.stopping.add(group);
    run.retired = true;
    await run.consumer.disconnect();
    this.runs.delete(group);
    this.subscribed.delete(group);
    this.stuck.delete(group);
    this.stopping.delete(group);
  }

  /** The broker answers and no consumer group of this process has crashed for good (the watchdog replaces it meanwhile). */
  async isHealthy(): Promise<boolean> {
    if ([...this.runs.values()].some((r) => r.crashedForGood)) return false;
    try {
      await this.admin!.describeCluster();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The consumer watchdog, every `watchdogIntervalMs`: probes the broker, reads the committed offsets of
   * the partitions each group's consumer was given, and replaces the consumers `judgeConsumer` says
   * have stopped (kafkajs 2.2.4 has several ways of stopping without a word).
   */
  private async watch(): Promise<void> {
    if (this.watching) return;
    this.watching = true;
    try {
      const deadline = 2 * (this.options.watchdogIntervalMs ?? 5000);
      // one probe at a time: while the broker is away, kafkajs's retries make a probe outlast several looks
      this.probe ??= this.admin!.describeCluster().then(
        () => true,
        () => false,
      );
      const probe = this.probe;
      void probe.finally(() => {
        if (this.probe === probe) this.probe = undefined;
      });
      const answers = await withDeadline(probe, deadline, 'a broker probe').catch(() => false);
      this.brokerAnswersSince = answers ? (this.brokerAnswersSince ?? Date.now()) : undefined;
      for (const [group, run] of [...this.runs]) {
        if (this.stopping.has(group) || run.retired) continue;
        const subscription = this.subscribed.get(group)!;
        if (answers && run.busy === 0 && !run.crashedForGood) {
          const topics = Object.keys(run.assigned);
          const offsets = await withDeadline(this.groupOffsets(group, topics), deadline, 'reading offsets').catch(
            () => undefined,
          );
          if (!offsets) continue; // the broker stopped answering meanwhile: next time
          const mine = offsets.filter((o) => run.assigned[o.topic]?.includes(o.partition));
          const stuck = trackStuck(
            this.stuck.get(group) ?? new Map(),
            mine.map((o) => ({ key: `${this.logical(o.topic)}/${o.partition}`, committed: o.committed, high: o.high })),
            Date.now(),
          );
          this.stuck.set(group, stuck);
        }
        const stuck = this.stuck.get(group) ?? new Map<string, Stuck>();
        const now = Date.now();
        const verdict = judgeConsumer(
          {
            now,
            startedAt: run.startedAt,
            crashedForGood: run.crashedForGood,
            brokerAnswersSince: this.brokerAnswersSince,
            lastFetchAt: run.lastFetchAt,
            busySince: run.busySince,
            lastBusyAt: run.lastBusyAt,
            stuckSince: earliestStuck(stuck),
          },
          this.stallMs,
        );
        if (verdict.action === 'replace')
          await this.replaceConsumer(
            subscription,
            run,
            verdict.reason,
            this.describeStall(verdict.reason, run, stuck, now),
          );
      }
    } catch (error) {
      this.logger.warn(`the consumer watchdog failed: ${(error as Error).message}`);
    } finally {
      this.watching = false;
    }
  }

  private get stallMs(): number {
    return this.options.consumerStallMs ?? 90_000;
  }

  private describeStall(reason: ReplaceReason, run: ConsumerRun, stuck: Map<string, Stuck>, now: number): string {
    const seconds = (at: number | undefined) => `${Math.round((now - (at ?? run.startedAt)) / 1000)} s`;
    switch (reason) {
      case 'crashed':
        return `crashed and not restarted by kafkajs: ${run.crashError ?? 'no error given'}`;
      case 'no-fetch':
        return `no fetch for ${seconds(run.lastFetchAt)} while the broker answers`;
      case 'no-progress':
        return `committed offsets unmoved with lag on ${[...stuck].map(([key, s]) => `${key} for ${seconds(s.since)}`).join(', ')}`;
    }
  }

  /**
   * Replaces a group's stalled consumer: it is retired (it handles nothing more), disconnected within a
   * deadline (one that does not finish is left behind: it handles nothing, and its membership ends with
   * its session), and a new consumer joins the same group and reads from the committed offsets. What the
   * old one had processed but not committed is read again and dropped by the inbox.
   */
  private async replaceConsumer(
    subscription: BusSubscription,
    run: ConsumerRun,
    reason: ReplaceReason,
    detail: string,
  ): Promise<void> {
    const { group } = subscription;
    run.retired = true;
    this.logger.warn(`${group}: the consumer is replaced (${reason}: ${detail})`);
    this.consumerReplaced({ group, reason });
    await withDeadline(run.consumer.disconnect(), this.stallMs, "the stalled consumer's disconnect").catch((error) =>
      this.logger.warn(`${group}: ${(error as Error).message}; it is left behind`),
    );
    if (this.stopping.has(group) || this.runs.get(group) !== run) return;
    try {
      await this.startConsumer(subscription);
      this.logger.log(`${group} consumes ${subscription.topics.join(', ')} again`);
    } catch (error) {
      // the watchdog tries again once the broker answers
      const failed = this.runs.get(group);
      if (failed && failed !== run) {
        failed.crashedForGood = true;
        failed.crashError = `the replacement did not start: ${(error as Error).message}`;
      }
      this.logger.error(`${group}: the replacement consumer did not start: ${(error as Error).message}`);
    }
  }

  /** Per partition of these topics (physical names): the group's next offset to read and the high watermark. */
  private async groupOffsets(
    group: string,
    physicalTopics: string[],
  ): Promise<{ topic: string; partition: number; committed: bigint; high: bigint }[]> {
    if (physicalTopics.length === 0) return [];
    const out: { topic: string; partition: number; committed: bigint; high: bigint }[] = [];
    const committed = await this.admin!.fetchOffsets({ groupId: this.topic(group), topics: physicalTopics });
    for (const { topic, partitions } of committed) {
      for (const end of await this.admin!.fetchTopicOffsets(topic)) {
        const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        // no committed offset yet: the group starts from the beginning
        const from = BigInt(offset) >= 0n ? BigInt(offset) : BigInt(end.low);
        out.push({ topic, partition: end.partition, committed: from, high: BigInt(end.high) });
      }
    }
    return out;
  }

  /** Per group, topic and partition of this process's subscriptions: the high watermark minus the committed offset. */
  override async consumerLag(): Promise<ConsumerLag[]> {
    const out: ConsumerLag[] = [];
    for (const [group, { topics }] of this.subscribed) {
      for (const o of await this.groupOffsets(
        group,
        topics.map((t) => this.topic(t)),
      )) {
        const lag = o.high - o.committed;
        out.push({ group, topic: this.logical(o.topic), partition: o.partition, lag: Number(lag > 0n ? lag : 0n) });
      }
    }
    return out;
  }

  /** The dead-letter topics on the broker (this deployment's prefix), with their group and original topic. */
  async deadLetterTopics(): Promise<{ name: string; group: string; topic: string }[]> {
    return (await this.admin!.listTopics())
      .filter((t) => t.startsWith(this.options.prefix))
      .map((t) => this.logical(t))
      .flatMap((name) => {
        const m = DLQ_NAME.exec(name);
        return m ? [{ name, topic: m[1], group: m[2] }] : [];
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Low and high watermarks of each partition of a topic (logical name). */
  async topicOffsets(logical: string): Promise<{ partition: number; low: string; high: string }[]> {
    return (await this.admin!.fetchTopicOffsets(this.topic(logical))).map(({ partition, low, high }) => ({
      partition,
      low,
      high,
    }));
  }

  deadLetters(groups: GroupDataSources): DeadLetterStore {
    return new KafkaDeadLetters(this, groups);
  }

  /** On Kafka, dead letters go to the group's dead-letter topic, with the error in headers. */
  deadLetterSink(_dataSource: DataSource): DeadLetterSink {
    return {
      add: async (group, message, eventId, error, attempts) => {
        await this.producer.use((producer) =>
          producer.send({
            topic: this.topic(deadLetterTopic(group, message.topic)),
            acks: -1,
            messages: [
              {
                key: message.key,
                value: message.value,
                headers: {
                  ...(message.headers ?? {}),
                  'jrp-error': `${error.name}: ${error.message}`.slice(0, 4000),
                  'jrp-attempts': String(attempts),
                  'jrp-group': group,
                  'jrp-original-topic': message.topic,
                  ...(eventId ? { 'jrp-event-id': eventId } : {}),
                },
              },
            ],
          }),
        );
      },
    };
  }

  /** Reads every message of a topic from the beginning (operators' tools and tests). */
  async readTopic(logical: string, timeoutMs = 5000): Promise<StoredMessage[]> {
    return this.readTopics([logical], timeoutMs);
  }

  /**
   * Reads every message of some topics from the beginning up to their current end, with a consumer
   * group of its own that is deleted afterwards.
   */
  async readTopics(logicals: string[], timeoutMs = 15000): Promise<StoredMessage[]> {
    const remaining = new Map<string, bigint>();
    for (const logical of logicals) {
      for (const o of await this.admin!.fetchTopicOffsets(this.topic(logical))) {
        if (o.high !== o.low) remaining.set(`${this.topic(logical)}/${o.partition}`, BigInt(o.high));
      }
    }
    const out: StoredMessage[] = [];
    if (remaining.size === 0) return out;
    const groupId = `${this.topic('jrp-reader')}-${process.pid}-${Date.now()}`;
    const consumer = this.kafka.consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: logicals.map((l) => this.topic(l)), fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out reading ${logicals.join(', ')}`)), timeoutMs);
        void consumer.run({
          eachMessage: ({ topic, partition, message }) => {
            out.push({
              topic: this.logical(topic),
              key: message.key?.toString() ?? '',
              value: message.value?.toString() ?? '',
              headers: headersOf(message.headers),
              partition,
              offset: message.offset,
              timestamp: message.timestamp,
            });
            const place = `${topic}/${partition}`;
            if (BigInt(message.offset) + 1n >= (remaining.get(place) ?? 0n)) remaining.delete(place);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        });
      });
    } finally {
      await consumer.disconnect();
      await this.admin!.deleteGroups([groupId]).catch(() => undefined);
    }
    return out.sort(
      (a, b) =>
        a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
    );
  }
}
