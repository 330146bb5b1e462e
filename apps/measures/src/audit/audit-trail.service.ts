import { Injectable } from '@nestjs/common';
import { decodeSeqCursor, encodeCursor } from '@jrp/http';
import { AuditTrailFilter, AuditTrailRepository } from './audit-trail.repository';

/** Reading the audit trail by cursor: what the office and the administrators see. */
@Injectable()
export class AuditTrailService {
  constructor(private readonly auditTrail: AuditTrailRepository) {}

  /** Records after the cursor `after`, oldest first, with the cursor to read on from. */
  async list(filter: AuditTrailFilter & { after?: string; limit?: number }) {
    const after = decodeSeqCursor(filter.after);
    const rows = await this.auditTrail.findAfter(after, filter, filter.limit ?? 100);
    const items = rows.map(({ seq, ...record }) => ({ cursor: encodeCursor(seq), ...record }));
    return { items, next: items.length ? items[items.length - 1].cursor : encodeCursor(after) };
  }
}
