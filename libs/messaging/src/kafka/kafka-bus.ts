import { Logger } from '@nestjs/common';
import { Admin, Consumer, IHeaders, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { deadLetterTopic, Topics } from '@jrp/contracts';
import { BusMessage, BusSubscription, ConsumerLag, DeadLetterSink, EventBus } from '../bus/event-bus';
import { isInfrastructureError } from '../consumer/errors';
import { DeadLetterStore, GroupDataSources } from '../dead-letter/dead-letters';
import { DeadLetterTopicAccess, KafkaDeadLetters, StoredMessage } from './kafka-dead-letters';
import { ProducerSlot } from './producer-slot';

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
  private readonly consumers = new Map<string, Consumer>();
  /** Each group's topics (logical names), for its lag. */
  private readonly subscribed = new Map<string, string[]>();
  /** Groups whose consumer crashed for good (kafkajs gave up restarting it): the process is not ready. */
  private readonly crashed = new Set<string>();
  private readonly stopping = new Set<string>();
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
    await Promise.all([...this.consumers.keys()].map((g) => this.unsubscribe(g)));
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
    const consumer = this.kafka.consumer({
      groupId: this.topic(group),
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs,
      allowAutoTopicCreation: false,
      // an idle fetch waits at most 1 s: a stopping consumer leaves its group without waiting out a 5 s poll
      maxWaitTimeInMs: 1000,
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) {
        this.crashed.add(group);
        this.logger.error(`${group}: the consumer crashed and will not restart: ${payload.error?.message}`);
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topics: subscription.topics.map((t) => this.topic(t)), fromBeginning: true });
    this.consumers.set(group, consumer);
    this.subscribed.set(group, subscription.topics);
    this.crashed.delete(group);
    await consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        for (let i = 0; i < batch.messages.length && payload.isRunning() && !payload.isStale(); i += SUB_BATCH) {
          const chunk = batch.messages.slice(i, i + SUB_BATCH);
          const messages: BusMessage[] = chunk.map((message) => ({
            topic: this.logical(batch.topic),
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            headers: headersOf(message.headers),
          }));
          await this.handleUntilDone(group, batch.topic, subscription, messages, () => payload.heartbeat());
          // the offsets move only once the messages are processed (inbox committed) or set aside
          payload.resolveOffset(chunk[chunk.length - 1].offset);
          await payload.heartbeat();
          await payload.commitOffsetsIfNecessary();
        }
      },
    });
    this.logger.log(`${group} consumes ${subscription.topics.join(', ')}`);
  }

  /** Retries in place while the consumer's database is unreachable, with heartbeats; offsets stay put. */
  private async handleUntilDone(
    group: string,
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
        if (this.stopping.has(group) || !isInfrastructureError(error)) throw error;
        this.logger.warn(`${group}: cannot process ${topic} now (${(error as Error).message}); retrying in ${wait} ms`);
        const until = Date.now() + wait;
        while (Date.now() < until && !this.stopping.has(group)) {
          await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
          await heartbeat().catch(() => undefined);
        }
      } finally {
        clearInterval(beating);
      }
    }
  }

  async unsubscribe(group: string): Promise<void> {
    const consumer = this.consumers.get(group);
    if (!consumer) return;
    this.stopping.add(group);
    await consumer.disconnect();
    this.consumers.delete(group);
    this.subscribed.delete(group);
    this.stopping.delete(group);
  }

  /** The broker answers and no consumer group of this process has crashed for good. */
  async isHealthy(): Promise<boolean> {
    if (this.crashed.size > 0) return false;
    try {
      await this.admin!.describeCluster();
      return true;
    } catch {
      return false;
    }
  }

  /** Per group, topic and partition of this process's subscriptions: the high watermark minus the committed offset. */
  override async consumerLag(): Promise<ConsumerLag[]> {
    const out: ConsumerLag[] = [];
    const ends = new Map<string, { partition: number; high: string; low: string }[]>();
    for (const [group, topics] of this.subscribed) {
      const committed = await this.admin!.fetchOffsets({
        groupId: this.topic(group),
        topics: topics.map((t) => this.topic(t)),
      });
      for (const { topic, partitions } of committed) {
        if (!ends.has(topic)) ends.set(topic, await this.admin!.fetchTopicOffsets(topic));
        for (const end of ends.get(topic)!) {
          const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          // no committed offset yet: the group starts from the beginning
          const from = BigInt(offset) >= 0n ? BigInt(offset) : BigInt(end.low);
          const lag = BigInt(end.high) - from;
          out.push({ group, topic: this.logical(topic), partition: end.partition, lag: Number(lag > 0n ? lag : 0n) });
        }
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
