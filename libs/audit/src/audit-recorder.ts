import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { RequestContext } from '@jrp/auth';
import { AuditEvents, AuditRecordedData } from '@jrp/contracts';
import { OutboxService, UnitOfWork } from '@jrp/messaging';

export interface AuditEntry {
  /** What was done, `<object type>.<verb>`: e.g. `list-entry.publish`, `token.revoke`. */
  action: string;
  objectType: string;
  objectId: string;
}

/**
 * Records who did what to which object, when, from where and in which request, as a
 * `jrp.audit.recorded` event in the service's outbox: in the transaction of a write (no write without
 * its record, no record of a write that rolled back), or in a transaction of its own for a read.
 * measures keeps the trail.
 */
@Injectable()
export class AuditRecorder {
  async record(m: EntityManager, outbox: OutboxService, entry: AuditEntry): Promise<void> {
    await this.recordMany(m, outbox, [entry]);
  }

  /** Records several writes of one request (a batch) in one outbox insert. */
  async recordMany(m: EntityManager, outbox: OutboxService, entries: AuditEntry[]): Promise<void> {
    const context = RequestContext.current();
    const principal = context?.principal;
    const at = new Date().toISOString();
    const events = entries.map((entry) => {
      const data: AuditRecordedData = {
        recordId: randomUUID(),
        version: 1,
        service: outbox.service,
        action: entry.action,
        objectType: entry.objectType,
        objectId: entry.objectId,
        organization: principal?.organization.code ?? 'anonymous',
        tokenId: principal?.tokenId ?? '',
        tokenLabel: principal?.label ?? null,
        requestId: context?.requestId ?? '',
        sourceAddress: context?.sourceAddress ?? '',
        at,
        outcome: 'success',
      };
      return { id: data.recordId, type: AuditEvents.Recorded, key: data.organization, subject: `${entry.objectType}/${entry.objectId}`, data };
    });
    await outbox.append(m, events);
  }

  /** Records a read of personal data, in a transaction of its own. */
  async recordRead(unit: UnitOfWork, entry: AuditEntry): Promise<void> {
    await unit.run((m, outbox) => this.record(m, outbox, entry));
  }
}
