import { EntityManager } from 'typeorm';
import type { AuditRecordedData } from '@jrp/contracts';

/** The columns of `audit_trail` a record fills, in the order of `auditTrailValues`. */
export const AUDIT_TRAIL_COLUMNS = `record_id, service, action, object_type, object_id, organization, token_id, token_label, request_id, source_address, at, outcome`;

/** A record's values for AUDIT_TRAIL_COLUMNS. */
export function auditTrailValues(r: AuditRecordedData): unknown[] {
  return [
    r.recordId,
    r.service,
    r.action,
    r.objectType,
    r.objectId,
    r.organization,
    r.tokenId,
    r.tokenLabel ?? null,
    r.requestId,
    r.sourceAddress,
    r.at,
    r.outcome,
  ];
}

const WIDTH = AUDIT_TRAIL_COLUMNS.split(', ').length;

/** `$n, …`: the parameters of one record's values, the first numbered `first`. */
export function auditTrailParameters(first: number): string {
  return Array.from({ length: WIDTH }, (_, i) => `$${first + i}`).join(', ');
}

/**
 * Appends records to the audit trail (the keeper's schema, in the caller's transaction) in one statement;
 * a record already there (the same event consumed again) is left as it is.
 */
export async function insertAuditRecords(m: EntityManager, records: AuditRecordedData[]): Promise<void> {
  // PostgreSQL takes at most 65,535 parameters per statement: 1,000 records of 12 at a time
  for (let i = 0; i < records.length; i += 1000) {
    const chunk = records.slice(i, i + 1000);
    await m.query(
      `INSERT INTO audit_trail (${AUDIT_TRAIL_COLUMNS}) VALUES ${chunk.map((_, k) => `(${auditTrailParameters(1 + k * WIDTH)})`).join(', ')}
       ON CONFLICT (record_id) DO NOTHING`,
      chunk.flatMap(auditTrailValues),
    );
  }
}
