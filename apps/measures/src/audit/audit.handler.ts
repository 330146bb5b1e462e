import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuditEvents, AuditRecordedData, ConsumerGroups } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { AuditTrailRepository } from './audit-trail.repository';

/** measures keeps the audit trail of every service: the other services' records arrive as events (its own it writes directly). */
@Controller()
export class AuditHandler {
  constructor(private readonly trail: AuditTrailRepository) {}

  @ConsumesEvents(AuditEvents.Recorded, ConsumerGroups.Measures)
  async onRecorded(@Payload() record: AuditRecordedData): Promise<void> {
    await this.trail.insert([record]);
  }
}
