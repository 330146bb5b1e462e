import { Injectable } from '@nestjs/common';
import { AuditSink } from '@jrp/audit';
import type { AuditRecordedData } from '@jrp/contracts';
import { AuditTrailRepository } from './audit-trail.repository';

/** measures keeps the audit trail: its own records go straight into `audit_trail`, in the transaction of the write. */
@Injectable()
export class AuditTrailSink extends AuditSink {
  readonly service = 'measures';

  constructor(private readonly trail: AuditTrailRepository) {
    super();
  }

  write(records: AuditRecordedData[]): Promise<void> {
    return this.trail.insert(records);
  }
}
