import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusMessage, BusSubscription, DeadLetterSink, EventBus } from '../bus/event-bus';
import { DeadLetterTable } from '../dead-letter/dead-letter.store';
import { DeadLetterStore, GroupDataSources, TableDeadLetters } from '../dead-letter/dead-letters';

/**
 * The bus of the one-process deployment. `publish` hands each message to every subscribed group in
 * order and resolves when all of them have handled it, so the publishing outbox row is only marked
 * sent once every consumer has committed its inbox row: a crash in between makes the relay send the
 * batch again after restart, and the inboxes drop what was already done. Groups run concurrently;
 * within a group messages are handled one at a time, in publication order.
 */
/** Messages handed to a group at a time (each group handles them in one transaction when it can). */
const BATCH = 100;

@Injectable()
export class InProcessBus extends EventBus {
  readonly name = 'in-process';
  private readonly logger = new Logger(InProcessBus.name);
  private readonly subscriptions = new Map<string, BusSubscription>();
  /** One queue per group serialises deliveries from several publishers (one relay per service). */
  private readonly queues = new Map<string, Promise<void>>();

  private closing = false;

  async publish(messages: BusMessage[]): Promise<void> {
    if (this.closing) throw new Error('the in-process bus is shutting down');
    const deliveries = [...this.subscriptions.values()].map((sub) => {
      const mine = messages.filter((m) => sub.topics.includes(m.topic));
      if (mine.length === 0) return Promise.resolve();
      const previous = this.queues.get(sub.group) ?? Promise.resolve();
      const next = previous
        .catch(() => undefined)
        .then(async () => {
          for (let i = 0; i < mine.length; i += BATCH) await sub.handle(mine.slice(i, i + BATCH));
        });
      this.queues.set(sub.group, next);
      return next;
    });
    await Promise.all(deliveries);
  }

  subscribe(subscription: BusSubscription): Promise<void> {
    if (this.subscriptions.has(subscription.group)) {
      return Promise.reject(new Error(`consumer group ${subscription.group} is already subscribed`));
    }
    this.subscriptions.set(subscription.group, subscription);
    this.logger.log(`${subscription.group} subscribed to ${subscription.topics.join(', ')}`);
    return Promise.resolve();
  }

  async unsubscribe(group: string): Promise<void> {
    this.closing = true;
    await this.queues.get(group)?.catch(() => undefined);
    this.subscriptions.delete(group);
    this.queues.delete(group);
  }

  isHealthy(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  deadLetterSink(dataSource: DataSource): DeadLetterSink {
    return new DeadLetterTable(dataSource);
  }

  deadLetters(groups: GroupDataSources): DeadLetterStore {
    return new TableDeadLetters(groups);
  }
}
