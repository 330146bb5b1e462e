import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager } from 'typeorm';
import { CloudEvent, topicOf } from '@jrp/contracts';
import { afterCommit, transactionManager } from '@jrp/database';
import { Correlation } from '../observability/correlation';
import { appendCtes, NewOutboxRow, OutboxRepository } from './outbox.repository';

/** An event a service wants to announce; the outbox wraps it in a CloudEvent. */
export interface OutgoingEvent<T = unknown> {
  /** Deterministic id (see `eventIdOf`): appending the same event twice stores it once. */
  id: string;
  type: string;
  /** Message key: the aggregate whose changes must stay in order. Never a personal ID number. */
  key: string;
  subject?: string;
  data: T;
  /** `data` already serialized (exactly `JSON.stringify(data)`), when the caller needs that text anyway. */
  json?: string;
  time?: Date;
  /** Ties the event to the request that caused it; by default the current correlation id (HTTP request or event being handled). */
  correlationId?: string;
}

/**
 * An event's CloudEvent envelope as the text sent: its attributes, then the data (serialized once, here
 * or by the caller). The outbox stores it; a `RelayFeed` builds it from its row when it sends it, with
 * the correlation id it kept, so both give the same bytes. `source` is `/jrp/<service>`.
 */
export function envelopeOf(
  source: string,
  event: Omit<OutgoingEvent, 'correlationId'>,
  correlationId: string | undefined,
): string {
  const attributes: Omit<CloudEvent, 'data'> = {
    specversion: '1.0',
    id: event.id,
    source,
    type: event.type,
    time: (event.time ?? new Date()).toISOString(),
    ...(event.subject ? { subject: event.subject } : {}),
    datacontenttype: 'application/json',
    partitionkey: event.key,
    ...(correlationId ? { correlationid: correlationId } : {}),
  };
  return `${JSON.stringify(attributes).slice(0, -1)},"data":${event.json ?? JSON.stringify(event.data)}}`;
}

@Injectable()
export class OutboxService {
  private readonly signals = new EventEmitter();
  private readonly repository?: OutboxRepository;

  constructor(
    private readonly source: string,
    /** The service's data source, whose open transaction `append(events)` writes in. */
    private readonly dataSource?: DataSource,
  ) {
    if (dataSource) this.repository = new OutboxRepository(dataSource);
  }

  /** The service whose outbox this is (the CloudEvents source is `/jrp/<service>`). */
  get service(): string {
    return this.source.replace(/^\/jrp\//, '');
  }

  /**
   * Appends events in the transaction open in this context (see `inTransaction`); the relay is woken
   * once it has committed. Outside a transaction it throws: an event never commits apart from its change.
   */
  async append(events: OutgoingEvent[]): Promise<void>;
  /** Appends events with a given manager (a migration's query runner); the caller wakes the relay. */
  async append(manager: EntityManager, events: OutgoingEvent[]): Promise<void>;
  async append(first: EntityManager | OutgoingEvent[], second?: OutgoingEvent[]): Promise<void> {
    if (Array.isArray(first)) {
      if (!this.dataSource || !this.repository) throw new Error(`the outbox of ${this.service} has no data source`);
      transactionManager(this.dataSource); // throws outside a transaction
      afterCommit(this.dataSource, () => this.wake());
      if (first.length > 0) await this.repository.append(first.map((event) => this.rowOf(event)));
      return;
    }
    const events = second ?? [];
    if (events.length > 0)
      await OutboxRepository.appendIn(
        first,
        events.map((event) => this.rowOf(event)),
      );
  }

  /**
   * `append(events)` for a caller that writes them in its own statement, with the change they announce
   * (one round trip, atomic with it, inside a transaction or not): the CTEs that write them, only when the
   * SQL `condition` holds if one is given (see `appendCtes`), their parameters pushed onto `params`. Call
   * `appended` once the statement has run.
   */
  appendCtes(events: OutgoingEvent[], params: unknown[], condition?: string): string {
    return appendCtes(
      events.map((event) => this.rowOf(event)),
      params,
      condition,
    );
  }

  /** Wakes the relay for events a statement appended (`appendCtes`): once the transaction open here has committed, or now outside one. */
  appended(): void {
    if (!this.dataSource) throw new Error(`the outbox of ${this.service} has no data source`);
    afterCommit(this.dataSource, () => this.wake());
  }

  /**
   * Wakes the relay once the transaction open here has committed, for a service that wrote rows a
   * `RelayFeed` sends (measures' task feed) rather than outbox rows. Outside a transaction it throws,
   * like `append`.
   */
  wakeAfterCommit(): void {
    if (!this.dataSource) throw new Error(`the outbox of ${this.service} has no data source`);
    transactionManager(this.dataSource); // throws outside a transaction
    afterCommit(this.dataSource, () => this.wake());
  }

  /** The outbox row of an event: its CloudEvent envelope as text, stored as it will be sent. */
  private rowOf(event: OutgoingEvent): NewOutboxRow {
    const envelope = this.envelopeOf(event, event.correlationId ?? Correlation.forKey(event.key));
    return { eventId: event.id, topic: topicOf(event.type), key: event.key, type: event.type, envelope };
  }

  /** An event's envelope as this outbox stores it (see `envelopeOf`). */
  envelopeOf(event: Omit<OutgoingEvent, 'correlationId'>, correlationId: string | undefined): string {
    return envelopeOf(this.source, event, correlationId);
  }

  /** Tells the relay that committed rows are waiting. */
  wake(): void {
    this.signals.emit('wake');
  }

  onWake(listener: () => void): () => void {
    this.signals.on('wake', listener);
    return () => this.signals.off('wake', listener);
  }
}
