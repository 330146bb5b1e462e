import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { CloudEvent, CloudEventEnvelope, EVENT_DATA_CLASSES, rememberValidationRules, topicOf } from '@jrp/contracts';
import { inTransaction } from '@jrp/database';
import { BusMessage, DeadLetterSink, EventBus } from '../bus/event-bus';
import { Correlation } from '../observability/correlation';
import { Metrics } from '../observability/metrics';
import { OutboxService } from '../outbox/outbox.service';
import { BatchConsumerContext, ConsumerContext } from './consumer-context';
import { consumerTransport } from './consumes.decorator';
import { InboxRepository } from './inbox.repository';
import { isInfrastructureError, isTransientConflict, PoisonMessageError } from './errors';

interface Prepared {
  message: BusMessage;
  event: CloudEvent<Record<string, unknown>>;
  handler: MessageHandler;
  data: object;
}

export interface RetryPolicy {
  /** Attempts before a message is set aside, the first included. */
  attempts: number;
  /** Backoff before attempt n+1 is `baseMillis * 4^(n-1)`, capped. */
  baseMillis: number;
  maxMillis: number;
}

/**
 * The consumer side of one service (one consumer group), as a NestJS custom transport strategy:
 * handlers are `@ConsumesEvents(types, group)` methods. For each message: envelope and payload are
 * validated (a message that fails is poison and goes straight to the dead letters); then, in ONE
 * transaction, the inbox row (group, event id) is inserted and the handler runs; a redelivered event
 * finds its inbox row and changes nothing. A handler that keeps failing is retried with backoff a
 * bounded number of times, then set aside, so the messages behind it are not blocked. Handlers run in
 * the correlation context of their event (its `correlationid`, else its id), so what they log and the
 * events they write carry it.
 */
export class EventConsumerServer extends Server implements CustomTransportStrategy {
  protected override readonly logger: Logger;
  private readonly inbox: InboxRepository;

  constructor(
    readonly group: string,
    readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly bus: EventBus,
    private readonly deadLetters: DeadLetterSink,
    private readonly retry: RetryPolicy,
    private readonly metrics?: Metrics,
  ) {
    super();
    this.logger = new Logger(`Consumer:${group}`);
    this.transportId = consumerTransport(group);
    this.inbox = new InboxRepository(dataSource);
    rememberValidationRules(); // each payload class's rules found once, not for every message
  }

  /** The topics this group reads, derived from its handlers' event types. */
  topics(): string[] {
    return [...new Set([...this.messageHandlers.keys()].map((type) => topicOf(type)))];
  }

  async listen(callback: (...optionalParams: unknown[]) => void): Promise<void> {
    try {
      const topics = this.topics();
      if (topics.length > 0) {
        await this.bus.subscribe({ group: this.group, topics, handle: (messages) => this.processBatch(messages) });
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.bus.unsubscribe(this.group);
  }

  on(): void {
    throw new Error('EventConsumerServer does not emit status events');
  }

  unwrap<T>(): T {
    throw new Error('EventConsumerServer has no underlying client');
  }

  /**
   * Processes consecutive messages in order. Valid ones are applied together in ONE transaction (one
   * inbox insert, the handlers one after another, one commit); if that fails, they are taken one by
   * one, so only the failing message is retried and set aside. Rejects only on infrastructure failure.
   */
  async processBatch(messages: BusMessage[]): Promise<void> {
    const ready: Prepared[] = [];
    for (const message of messages) {
      const prepared = await this.prepare(message);
      if (prepared) ready.push(prepared);
    }
    if (ready.length === 0) return;
    if (ready.length > 1) {
      let processed: Prepared[] = [];
      try {
        await inTransaction(this.dataSource, async () => {
          const fresh = new Set(
            await this.inbox.claim(
              this.group,
              ready.map((r) => r.event.id),
            ),
          );
          const todo = ready.filter((r) => fresh.delete(r.event.id)); // not yet processed, once each
          // consecutive events of one batch handler go to it together; others one at a time, in order
          for (let i = 0; i < todo.length;) {
            let j = i + 1;
            const key = todo[i].handler.extras?.batch
              ? (todo[i].handler.extras?.batchKey as symbol | undefined)
              : undefined;
            if (key) while (j < todo.length && todo[j].handler.extras?.batchKey === key) j++;
            const run = todo.slice(i, j);
            await this.inCorrelation(run, () => this.invoke(run));
            i = j;
          }
          processed = todo;
        });
        this.outbox.wake();
        for (const r of processed) this.processed(r.event);
        return;
      } catch (error) {
        // a batch that lost a deadlock (concurrent partitions touch the same rows) goes on one by one
        if (isInfrastructureError(error) && !isTransientConflict(error)) throw error;
      }
    }
    for (const r of ready) await this.processOne(r);
  }

  /** Parses and validates a message; poison (unknown types included) is set aside at once, known types this group ignores are skipped. */
  private async prepare(message: BusMessage): Promise<Prepared | null> {
    try {
      const event = await this.parse(message);
      // the handlers are registered under the event types themselves (Nest's own lookup first tries each
      // type as JSON, an exception per message)
      const handler = this.messageHandlers.get(event.type);
      if (!handler) {
        // a type no contract knows (a newer producer, a typo) is set aside to be replayed after an upgrade;
        // a contracted type this group does not handle is skipped
        if (!EVENT_DATA_CLASSES[event.type]) throw new PoisonMessageError(`unknown event type ${event.type}`);
        return null;
      }
      return { message, event, handler, data: await this.validateData(event) };
    } catch (error) {
      await Correlation.run(correlationOfMessage(message), async () => {
        this.logger.warn(`set aside a poison message on ${message.topic}: ${(error as Error).message}`);
        await this.deadLetters.add(this.group, message, eventIdOf(message), error as Error, 1);
      });
      this.metrics?.deadLettered.inc({ group: this.group, topic: message.topic });
      return null;
    }
  }

  /**
   * Runs a handler in the correlation context of its events: the one id they share; when a batch mixes
   * several, what it writes takes each input event's id through the handler's `correlateBy` keys.
   */
  private inCorrelation<T>(run: Prepared[], work: () => Promise<T>): Promise<T> {
    const ids = new Set(run.map((r) => correlationOf(r.event)));
    if (ids.size === 1) return Correlation.run([...ids][0], work);
    const correlateBy = run[0].handler.extras?.correlateBy as ((data: object) => string) | undefined;
    const byKey = new Map<string, string>();
    if (correlateBy) for (const r of run) byKey.set(correlateBy(r.data), correlationOf(r.event));
    return Correlation.runBatch(undefined, byKey, work);
  }

  /** After the commit: counted, and logged (debug) in the event's correlation context. */
  private processed(event: CloudEvent): void {
    this.metrics?.eventsConsumed.inc({ group: this.group, type: event.type });
    Correlation.run(correlationOf(event), () =>
      this.logger.debug({
        message: `processed ${event.type} ${event.id}`,
        eventId: event.id,
        eventType: event.type,
        subject: event.subject,
      }),
    );
  }

  /**
   * Calls the handler, in the inbox transaction open here: a batch handler with all the events, any other
   * with the one event.
   */
  private async invoke(items: Prepared[]): Promise<void> {
    const [first] = items;
    const result: unknown = first.handler.extras?.batch
      ? await first.handler(
          items.map((r) => r.data),
          new BatchConsumerContext([items.map((r) => r.event)]),
        )
      : await first.handler(first.data, new ConsumerContext([first.event]));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  /** One message in its own transaction, with bounded retries, then the dead letters. */
  private processOne(prepared: Prepared): Promise<void> {
    return Correlation.run(correlationOf(prepared.event), () => this.processOneInContext(prepared));
  }

  private async processOneInContext({ message, event, handler, data }: Prepared): Promise<void> {
    let conflicts = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const fresh = await inTransaction(this.dataSource, async () => {
          if (!(await this.inbox.claimOne(this.group, event.id))) return false; // already processed
          await this.invoke([{ message, event, handler, data }]);
          return true;
        });
        this.outbox.wake();
        if (fresh) this.processed(event);
        return;
      } catch (error) {
        // a lost deadlock is not the message's fault: again at once, not an attempt (after 10, the bus retries it later)
        if (isTransientConflict(error) && ++conflicts <= 10) {
          attempt--;
          await new Promise((r) => setTimeout(r, Math.random() * 20 * conflicts));
          continue;
        }
        if (isInfrastructureError(error)) throw error;
        const poison = error instanceof PoisonMessageError;
        if (poison || attempt >= this.retry.attempts) {
          this.logger.error(
            `set aside ${event.type} ${event.id} after ${attempt} attempt(s): ${(error as Error).message}`,
          );
          await this.deadLetters.add(this.group, message, event.id, error as Error, attempt);
          this.metrics?.deadLettered.inc({ group: this.group, topic: message.topic });
          return;
        }
        const backoff = Math.min(this.retry.maxMillis, this.retry.baseMillis * 4 ** (attempt - 1));
        this.logger.warn(
          `${event.type} ${event.id} failed (attempt ${attempt}), retrying in ${backoff} ms: ${(error as Error).message}`,
        );
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }

  private async parse(message: BusMessage): Promise<CloudEvent<Record<string, unknown>>> {
    let raw: unknown;
    try {
      raw = message.headers?.ce_specversion ? fromBinaryMode(message) : JSON.parse(message.value);
    } catch {
      throw new PoisonMessageError('value is not JSON');
    }
    const envelope = plainToInstance(CloudEventEnvelope, envelopeOnly(raw));
    const errors = await validate(envelope as object);
    if (errors.length > 0) {
      throw new PoisonMessageError(
        `invalid CloudEvent: ${errors.map((e) => Object.values(e.constraints ?? {}).join('; ')).join('; ')}`,
      );
    }
    return raw as CloudEvent<Record<string, unknown>>;
  }

  private async validateData(event: CloudEvent<Record<string, unknown>>): Promise<object> {
    const cls = EVENT_DATA_CLASSES[event.type];
    if (!cls) throw new PoisonMessageError(`no contract for event type ${event.type}`);
    const data = plainToInstance(cls, event.data);
    const errors = await validate(data, { whitelist: false, forbidUnknownValues: false });
    if (errors.length > 0) {
      throw new PoisonMessageError(`invalid ${event.type} data: ${flatten(errors).join('; ')}`);
    }
    return data;
  }
}

/**
 * What the envelope's validation needs of a parsed message: its attributes, and `data` only as far as the
 * envelope checks it (an object). The payload is converted and validated once, against its own contract
 * (`validateData`), not copied through the envelope's class as well; the envelope's errors stay the same.
 */
export function envelopeOnly(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const { data } = raw as { data?: unknown };
  const isObject = data !== null && typeof data === 'object' && !Array.isArray(data);
  return isObject ? { ...raw, data: {} } : raw;
}

/** The correlation id an event's handling runs under: the one it carries, else its own id (it starts a chain). */
function correlationOf(event: CloudEvent): string {
  return typeof event.correlationid === 'string' && event.correlationid ? event.correlationid : event.id;
}

/** The correlation id of a message that could not be parsed, when it has one. */
function correlationOfMessage(message: BusMessage): string | undefined {
  if (message.headers?.ce_correlationid) return message.headers.ce_correlationid;
  try {
    const parsed = JSON.parse(message.value) as { correlationid?: unknown; id?: unknown };
    const id = parsed?.correlationid ?? parsed?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The event id of a message that could not be parsed, when it has one. */
function eventIdOf(message: BusMessage): string | undefined {
  if (message.headers?.ce_id) return message.headers.ce_id;
  try {
    const id = (JSON.parse(message.value) as { id?: unknown })?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A CloudEvent in binary mode: attributes in `ce_*` headers, the data in the value, the key as partitionkey. */
function fromBinaryMode(message: BusMessage): Record<string, unknown> {
  const attributes = Object.fromEntries(
    Object.entries(message.headers ?? {})
      .filter(([name]) => name.startsWith('ce_'))
      .map(([name, value]) => [name.slice(3), value]),
  );
  return {
    ...attributes,
    datacontenttype: message.headers?.['content-type']?.split(';')[0] ?? 'application/json',
    partitionkey: attributes.partitionkey ?? message.key,
    data: JSON.parse(message.value),
  };
}

function flatten(errors: import('class-validator').ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    return [...Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`), ...flatten(e.children ?? [], path)];
  });
}
