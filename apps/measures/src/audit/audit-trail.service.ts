import { Injectable } from '@nestjs/common';
import { entryScopeOf, Principal } from '@jrp/auth';
import { decodeSeqCursor, encodeCursor } from '@jrp/http';
import { AuditTrailFilter, AuditTrailRepository } from './audit-trail.repository';

/**
 * Reading the audit trail by cursor: what the office and the administrators see. A city office sees
 * the records made by organisations of its city and those about list entries in its city.
 */
@Injectable()
export class AuditTrailService {
  constructor(private readonly auditTrail: AuditTrailRepository) {}

  /** Records after the cursor `after`, oldest first, with the cursor to read on from. */
  async list(filter: AuditTrailFilter & { after?: string; limit?: number }, principal: Principal) {
    const after = decodeSeqCursor(filter.after);
    const city = entryScopeOf(principal).city ?? null;
    const rows = await this.auditTrail.findAfter(after, filter, filter.limit ?? 100, city);
    const items = rows.map(({ seq, ...record }) => ({ cursor: encodeCursor(seq), ...record }));
    return { items, next: items.length ? items[items.length - 1].cursor : encodeCursor(after) };
  }
}
