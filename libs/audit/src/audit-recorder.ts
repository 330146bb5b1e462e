import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '@jrp/auth';
import { AuditEvents, AuditRecordedData } from '@jrp/contracts';
import { OutboxService, OutgoingEvent, UnitOfWork } from '@jrp/messaging';
import { RefusalWriter, RefusedRequests } from './refused-requests';

export interface AuditEntry {
  /** What was done, `<object type>.<verb>`: e.g. `list-entry.publish`, `token.revoke`. */
  action: string;
  objectType: string;
  objectId: string;
}

/**
 * Where a service's audit records go, in the transaction open in the current context: measures keeps
 * the trail and writes its own records straight into `audit_trail`; the other services send theirs as
 * `jrp.audit.recorded` events through their outbox, which measures consumes into it.
 */
export abstract class AuditSink {
  /** The service whose records these are. */
  abstract readonly service: string;
  abstract write(records: AuditRecordedData[]): Promise<void>;

  /** The records as events of the service's outbox, when that is how they travel; undefined: `write` them. */
  eventsOf(_records: AuditRecordedData[]): OutgoingEvent[] | undefined {
    return undefined;
  }
}

/** The sink of a service that does not keep the trail: its records travel through its outbox. */
@Injectable()
export class OutboxAuditSink extends AuditSink {
  constructor(private readonly outbox: OutboxService) {
    super();
  }

  get service(): string {
    return this.outbox.service;
  }

  async write(records: AuditRecordedData[]): Promise<void> {
    await this.outbox.append(records.map(recordEvent));
  }

  override eventsOf(records: AuditRecordedData[]): OutgoingEvent[] {
    return records.map(recordEvent);
  }
}

/** An audit record as the `jrp.audit.recorded` event that carries it to the trail. */
function recordEvent(data: AuditRecordedData): OutgoingEvent<AuditRecordedData> {
  return {
    id: data.recordId,
    type: AuditEvents.Recorded,
    key: data.organization,
    subject: `${data.objectType}/${data.objectId}`,
    data,
  };
}

/**
 * Records who did what to which object, when, from where and in which request (审计日志), in the
 * transaction of a write (no write without its record, no record of a write that rolled back), or in a
 * transaction of its own for a read.
 */
@Injectable()
export class AuditRecorder implements RefusalWriter, OnModuleInit {
  constructor(
    private readonly sink: AuditSink,
    private readonly unit: UnitOfWork,
    /** The process's refused requests, which this recorder offers to write (absent outside an HTTP process). */
    @Optional() private readonly refusals?: RefusedRequests,
  ) {}

  get service(): string {
    return this.sink.service;
  }

  onModuleInit(): void {
    this.refusals?.attach(this);
  }

  /** Writes records of refused requests, made elsewhere, in a transaction of their own. */
  async writeRefusals(records: AuditRecordedData[]): Promise<void> {
    await this.unit.run(() => this.sink.write(records));
  }

  /** Records a write, in the transaction open here. */
  async record(entry: AuditEntry): Promise<void> {
    await this.recordMany([entry]);
  }

  /** Records several writes of one request (a batch) in one insert. */
  async recordMany(entries: AuditEntry[]): Promise<void> {
    const at = new Date();
    await this.sink.write(entries.map((entry) => this.recordOf(entry, at)));
  }

  /**
   * Records writes together with the events that announce them, in the transaction open here: one
   * outbox append for both where the records travel through the outbox (every service but measures).
   */
  async recordWithEvents(entries: AuditEntry[], events: OutgoingEvent[]): Promise<void> {
    const records = this.recordsOf(entries);
    const travelling = this.sink.eventsOf(records);
    if (travelling) {
      await this.unit.outbox.append([...events, ...travelling]);
      return;
    }
    await this.unit.outbox.append(events);
    await this.sink.write(records);
  }

  /**
   * `recordWithEvents` for a caller that appends the events itself, in its own statement (see
   * `OutboxService.appendCtes`): the events followed by the events that carry these writes' records. Only
   * where records travel through the outbox (every service but measures); throws elsewhere.
   */
  withRecords(entries: AuditEntry[], events: OutgoingEvent[]): OutgoingEvent[] {
    const travelling = this.sink.eventsOf(this.recordsOf(entries));
    if (!travelling) throw new Error(`the audit records of ${this.service} do not travel through its outbox`);
    return [...events, ...travelling];
  }

  private recordsOf(entries: AuditEntry[]): AuditRecordedData[] {
    const at = new Date();
    return entries.map((entry) => this.recordOf(entry, at));
  }

  /** Records a read of personal data, in a transaction of its own. */
  async recordRead(entry: AuditEntry): Promise<void> {
    await this.unit.run(() => this.record(entry));
  }

  /** The record of `entry` done by this service in the current request (its caller, request id and source address). */
  recordOf(entry: AuditEntry, at = new Date()): AuditRecordedData {
    const context = RequestContext.current();
    const principal = context?.principal;
    return {
      recordId: randomUUID(),
      version: 1,
      service: this.sink.service,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      organization: principal?.organization.code ?? 'anonymous',
      tokenId: principal?.tokenId ?? '',
      tokenLabel: principal?.label ?? null,
      requestId: context?.requestId ?? '',
      sourceAddress: context?.sourceAddress ?? '',
      at: at.toISOString(),
      outcome: 'success',
    };
  }
}
