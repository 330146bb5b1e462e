import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { PageOf } from '@jrp/http';
import { AuditTrailService } from './audit-trail.service';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditRecordResponse } from './dto/audit-record.response';

/** The audit trail (审计日志), read-only: no API changes or deletes a record. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly auditTrail: AuditTrailService) {}

  @Get()
  @Roles('admin', 'office')
  @ApiOperation({ operationId: 'listAuditRecords', summary: 'Audit records, newest last, filtered, paged by cursor' })
  @ApiOkResponse({ type: PageOf(AuditRecordResponse) })
  list(@Query() query: AuditQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.auditTrail.list(query, principal);
  }
}
