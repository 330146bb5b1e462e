import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { AuditEvents, AuditRecordedData, ConsumerGroups } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';

/** measures keeps the audit trail of every service. */
@Controller()
export class AuditHandler {
  @ConsumesEvents(AuditEvents.Recorded, ConsumerGroups.Measures)
  async onRecorded(@Payload() r: AuditRecordedData, @Ctx() { manager }: ConsumerContext): Promise<void> {
    await manager.query(
      `INSERT INTO audit_trail (record_id, service, action, object_type, object_id, organization, token_id, token_label,
         request_id, source_address, at, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (record_id) DO NOTHING`,
      [r.recordId, r.service, r.action, r.objectType, r.objectId, r.organization, r.tokenId, r.tokenLabel ?? null, r.requestId,
        r.sourceAddress, r.at, r.outcome],
    );
  }
}
