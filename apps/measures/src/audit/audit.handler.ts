import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuditEvents, AuditRecordedData, ConsumerGroups } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { AuditTrailRepository } from './audit-trail.repository';

/** measures keeps the audit trail of every service: the other services' records arrive as events (its own it writes directly). */
@Controller()
export class AuditHandler {
  constructor(private readonly trail: AuditTrailRepository) {}

  /** Consecutive records (one organisation's, keyed by it) in one insert. */
  @ConsumesEvents(AuditEvents.Recorded, ConsumerGroups.Measures, { batch: true })
  async onRecorded(@Payload() records: AuditRecordedData[]): Promise<void> {
    await this.trail.insert(records);
  }
}
