import { Injectable } from '@nestjs/common';
import { entryScopeOf, Principal } from '@jrp/auth';
import { decodeSeqCursor, encodeCursor, cursorPage } from '@jrp/http';
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
    const limit = filter.limit ?? 100;
    const rows = await this.auditTrail.findAfter(after, filter, limit + 1, city);
    return cursorPage(
      rows,
      limit,
      after,
      (r) => r.seq,
      ({ seq, ...record }) => ({ cursor: encodeCursor(seq), ...record }),
    );
  }
}
