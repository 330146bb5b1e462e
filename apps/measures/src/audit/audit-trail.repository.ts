import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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

/** Reads of the audit trail (审计日志); records are written by the audit recorder and never changed. */
@Injectable()
export class AuditTrailRepository {
  constructor(@InjectDataSource('measures') private readonly dataSource: DataSource) {}

  /** Records after `afterSeq`, oldest first, at most `limit`. */
  findAfter(afterSeq: string, filter: AuditTrailFilter, limit: number): Promise<AuditTrailRow[]> {
    return this.dataSource.query<AuditTrailRow[]>(
      `SELECT seq, record_id AS "recordId", service, action, object_type AS "objectType",
              object_id AS "objectId", organization, token_id AS "tokenId", token_label AS "tokenLabel",
              request_id AS "requestId", source_address AS "sourceAddress", at, outcome
       FROM audit_trail
       WHERE seq > $1 AND ($2::text IS NULL OR organization = $2) AND ($3::text IS NULL OR action = $3)
         AND ($4::text IS NULL OR object_type = $4) AND ($5::text IS NULL OR object_id = $5)
         AND ($6::text IS NULL OR request_id = $6)
         AND ($7::timestamptz IS NULL OR at >= $7) AND ($8::timestamptz IS NULL OR at < $8)
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
      ],
    );
  }
}
