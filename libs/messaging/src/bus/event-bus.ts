/** A message as it travels on the bus: the topic, the ordering key and the CloudEvent (structured JSON). */
export interface BusMessage {
  topic: string;
  key: string;
  value: string;
}

/** One consumer group's subscription. `handle` resolves once the message is processed or set aside
 * (dead letter); it rejects only when the consumer cannot work at all (its database is down), and the
 * bus must then deliver the same message again later. */
export interface BusSubscription {
  group: string;
  topics: string[];
  handle(message: BusMessage): Promise<void>;
}

/**
 * The event bus seen by the services. `publish` resolves once the bus has durably taken the batch
 * (Kafka: acknowledged by all in-sync replicas; in-process: handled by every local subscriber), in
 * order per key. Delivery is at least once; consumers deduplicate with their inbox.
 */
export abstract class EventBus {
  abstract readonly name: string;
  abstract publish(messages: BusMessage[]): Promise<void>;
  abstract subscribe(subscription: BusSubscription): Promise<void>;
  abstract unsubscribe(group: string): Promise<void>;
  abstract isHealthy(): Promise<boolean>;
}
