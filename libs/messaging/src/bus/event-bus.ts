import type { DataSource } from 'typeorm';
import type { DeadLetterStore, GroupDataSources } from '../dead-letter/dead-letters';

/**
 * A message as it travels on the bus: the topic, the ordering key and the CloudEvent. Our producers
 * use the structured mode (the whole event as JSON in `value`); consumers also read the binary mode
 * (`ce_*` headers, `value` the data) that outside producers may use.
 */
export interface BusMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** One consumer group's subscription. `handle` takes consecutive messages of one partition (in order)
 * and resolves once each is processed or set aside (dead letter); it rejects only when the consumer
 * cannot work at all (its database is down), and the bus must then deliver the same messages again. */
export interface BusSubscription {
  group: string;
  topics: string[];
  handle(messages: BusMessage[]): Promise<void>;
}

/** Where a consumer group sets aside the messages it cannot process. */
export interface DeadLetterSink {
  add(group: string, message: BusMessage, eventId: string | undefined, error: Error, attempts: number): Promise<void>;
}

/** How far one consumer group is behind on one partition (Kafka). */
export interface ConsumerLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/** A consumer group's consumer that the bus replaced because it had stopped consuming (Kafka's watchdog). */
export interface ConsumerReplacement {
  group: string;
  /** `crashed`, `no-fetch` or `no-progress` (see `judgeConsumer`). */
  reason: string;
}

/**
 * The event bus seen by the services. `publish` resolves once the bus has durably taken the batch
 * (Kafka: acknowledged by all in-sync replicas; in-process: handled by every local subscriber), in
 * order per key. Delivery is at least once; consumers deduplicate with their inbox.
 */
export abstract class EventBus {
  abstract readonly name: string;
  /** Connects and creates what the bus needs (Kafka: topics). */
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract publish(messages: BusMessage[]): Promise<void>;
  abstract subscribe(subscription: BusSubscription): Promise<void>;
  abstract unsubscribe(group: string): Promise<void>;
  abstract isHealthy(): Promise<boolean>;
  /** The dead letters of a group whose own data lives in `dataSource`. */
  abstract deadLetterSink(dataSource: DataSource): DeadLetterSink;
  /** The dead letters of these groups, to list, replay and discard (operators' command, metrics). */
  abstract deadLetters(groups: GroupDataSources): DeadLetterStore;
  /** The consumer groups' lag, where the bus has such a thing (Kafka); the in-process bus has none. */
  consumerLag(): Promise<ConsumerLag[]> {
    return Promise.resolve([]);
  }

  private readonly replacementListeners: ((replacement: ConsumerReplacement) => void)[] = [];

  /** Called each time the bus replaces a stalled consumer (metrics); the in-process bus never does. */
  onConsumerReplaced(listener: (replacement: ConsumerReplacement) => void): void {
    this.replacementListeners.push(listener);
  }

  protected consumerReplaced(replacement: ConsumerReplacement): void {
    for (const listener of this.replacementListeners) listener(replacement);
  }
}
