import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Roles } from '@jrp/auth';
import { decodeSeqCursor, encodeCursor, PageOf } from '@jrp/http';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditRecordResponse } from './dto/audit-record.response';

/** The audit trail (审计日志), read-only: no API changes or deletes a record. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/audit')
export class AuditController {
  constructor(@InjectDataSource('measures') private readonly dataSource: DataSource) {}

  @Get()
  @Roles('admin', 'office')
  @ApiOperation({ summary: 'Audit records, newest last, filtered, paged by cursor' })
  @ApiOkResponse({ type: PageOf(AuditRecordResponse) })
  async list(@Query() q: AuditQueryDto) {
    const after = decodeSeqCursor(q.after);
    const limit = q.limit ?? 100;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT seq, record_id AS "recordId", service, action, object_type AS "objectType", object_id AS "objectId", organization,
              token_id AS "tokenId", token_label AS "tokenLabel", request_id AS "requestId", source_address AS "sourceAddress", at, outcome
       FROM audit_trail
       WHERE seq > $1 AND ($2::text IS NULL OR organization = $2) AND ($3::text IS NULL OR action = $3)
         AND ($4::text IS NULL OR object_type = $4) AND ($5::text IS NULL OR object_id = $5) AND ($6::text IS NULL OR request_id = $6)
         AND ($7::timestamptz IS NULL OR at >= $7) AND ($8::timestamptz IS NULL OR at < $8)
       ORDER BY seq LIMIT $9`,
      [
        after,
        q.organization ?? null,
        q.action ?? null,
        q.objectType ?? null,
        q.objectId ?? null,
        q.requestId ?? null,
        q.from ?? null,
        q.to ?? null,
        limit,
      ],
    );
    const items = rows.map(({ seq, ...r }) => ({ cursor: encodeCursor(seq as string), ...r }));
    return { items, next: items.length ? items[items.length - 1].cursor : encodeCursor(after) };
  }
}
