import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditRecordedData } from '@jrp/contracts';
import { DatabaseRepository, Table } from '@jrp/database';
import { PROVINCE_CODE } from '@jrp/domain';

/** `audit_trail`: one row per record, as every service records it (its `seq` is given by the database). */
export const auditTrail = new Table<Omit<AuditRecordedData, 'version'>>('audit_trail', {
  recordId: 'record_id',
  service: 'service',
  action: 'action',
  objectType: 'object_type',
  objectId: 'object_id',
  organization: 'organization',
  tokenId: 'token_id',
  tokenLabel: 'token_label',
  requestId: 'request_id',
  sourceAddress: 'source_address',
  at: 'at',
  outcome: 'outcome',
});

/** What a reader of the audit trail may filter on; every filter is optional. */
export interface AuditTrailFilter {
  organization?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  requestId?: string;
  /** Records at or after this instant (ISO 8601). */
  from?: string;
  /** Records before this instant (ISO 8601). */
  to?: string;
}

/** SQL: the division code in `column` lies in the city `param` (a city's code; see `cityOf`). */
const inCity = (column: string, param: string) =>
  `(${column} <> '${PROVINCE_CODE}' AND left(${column}, 4) || '00' = ${param})`;

/** One stored audit record, as the API shows it, with its sequence number. */
export interface AuditTrailRow {
  seq: string;
  recordId: string;
  service: string;
  action: string;
  objectType: string;
  objectId: string;
  organization: string;
  tokenId: string;
  tokenLabel: string | null;
  requestId: string;
  sourceAddress: string;
  at: Date;
  outcome: string;
}

/** The audit trail (审计日志): records are appended, in the transaction open here, and never changed. */
@Injectable()
export class AuditTrailRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /** Appends records; one already there (the same event consumed again) is left as it is. */
  async insert(records: AuditRecordedData[]): Promise<void> {
    await this.insertRows(auditTrail, records, { onConflict: '(record_id) DO NOTHING' });
  }

  /**
   * Records after `afterSeq`, oldest first, at most `limit`. With `city` (a city office's), only the
   * records made by an organisation whose region is in that city, and those about a list entry whose
   * region (as measures last heard it, `entry_states`) is in it: the entry is looked up by its primary
   * key for each record scanned (a scalar subquery), never by hashing the city's entries, so the cost
   * follows the records read, not the size of the list.
   */
  findAfter(afterSeq: string, filter: AuditTrailFilter, limit: number, city: string | null): Promise<AuditTrailRow[]> {
    return this.query<AuditTrailRow[]>(
      `SELECT seq, ${auditTrail.selectList()}
       FROM audit_trail
       WHERE seq > $1 AND ($2::text IS NULL OR organization = $2) AND ($3::text IS NULL OR action = $3)
         AND ($4::text IS NULL OR object_type = $4) AND ($5::text IS NULL OR object_id = $5)
         AND ($6::text IS NULL OR request_id = $6)
         AND ($7::timestamptz IS NULL OR at >= $7) AND ($8::timestamptz IS NULL OR at < $8)
         AND ($10::text IS NULL
           OR organization IN (SELECT code FROM organizations o WHERE ${inCity('o.region', '$10')})
           OR (object_type = 'list-entry' AND (
                SELECT left(s.region, 4) || '00' FROM entry_states s
                WHERE s.region <> '${PROVINCE_CODE}'
                  AND s.entry_id = (CASE WHEN audit_trail.object_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                         THEN audit_trail.object_id::uuid END)) = $10))
       ORDER BY seq LIMIT $9`,
      [
        afterSeq,
        filter.organization ?? null,
        filter.action ?? null,
        filter.objectType ?? null,
        filter.objectId ?? null,
        filter.requestId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        limit,
        city,
      ],
    );
  }
}
