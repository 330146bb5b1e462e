import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { RequestContext } from '@jrp/auth';
import { AuditEvents, AuditRecordedData } from '@jrp/contracts';
import { OutboxService, UnitOfWork } from '@jrp/messaging';
import { insertAuditRecords } from './audit-trail';

export interface AuditEntry {
  /** What was done, `<object type>.<verb>`: e.g. `list-entry.publish`, `token.revoke`. */
  action: string;
  objectType: string;
  objectId: string;
}

/** The service that keeps the audit trail (`audit_trail` in its schema). */
export const AUDIT_TRAIL_SERVICE = 'measures';

/**
 * Records who did what to which object, when, from where and in which request, in the transaction of
 * a write (no write without its record, no record of a write that rolled back), or in a transaction of
 * its own for a read. measures keeps the trail: its own records go straight into `audit_trail`; the
 * other services' travel as `jrp.audit.recorded` events through their outbox, which measures consumes
 * into it (no one else reads them).
 */
@Injectable()
export class AuditRecorder {
  async record(m: EntityManager, outbox: OutboxService, entry: AuditEntry): Promise<void> {
    await this.recordMany(m, outbox, [entry]);
  }

  /** Records several writes of one request (a batch) in one insert. */
  async recordMany(m: EntityManager, outbox: OutboxService, entries: AuditEntry[]): Promise<void> {
    const at = new Date();
    const records = entries.map((entry) => this.recordOf(outbox.service, entry, at));
    if (outbox.service === AUDIT_TRAIL_SERVICE) {
      await insertAuditRecords(m, records);
      return;
    }
    await outbox.append(
      m,
      records.map((data) => ({
        id: data.recordId,
        type: AuditEvents.Recorded,
        key: data.organization,
        subject: `${data.objectType}/${data.objectId}`,
        data,
      })),
    );
  }

  /** Records a read of personal data, in a transaction of its own. */
  async recordRead(unit: UnitOfWork, entry: AuditEntry): Promise<void> {
    await unit.run((m, outbox) => this.record(m, outbox, entry));
  }

  /** The record of `entry` done by `service` in the current request (its caller, request id and source address). */
  recordOf(service: string, entry: AuditEntry, at = new Date()): AuditRecordedData {
    const context = RequestContext.current();
    const principal = context?.principal;
    return {
      recordId: randomUUID(),
      version: 1,
      service,
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
