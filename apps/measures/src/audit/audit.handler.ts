import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { insertAuditRecords } from '@jrp/audit';
import { AuditEvents, AuditRecordedData, ConsumerGroups } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';

/** measures keeps the audit trail of every service: the other services' records arrive as events (its own it writes directly). */
@Controller()
export class AuditHandler {
  @ConsumesEvents(AuditEvents.Recorded, ConsumerGroups.Measures)
  async onRecorded(@Payload() r: AuditRecordedData, @Ctx() { manager }: ConsumerContext): Promise<void> {
    await insertAuditRecords(manager, [r]);
  }
}
