import { Module } from '@nestjs/common';
import { AuditRecorder, AuditSink } from '@jrp/audit';
import { MeasuresCoreModule } from '../measures-core.module';
import { AuditController } from './audit.controller';
import { AuditHandler } from './audit.handler';
import { AuditTrailRepository } from './audit-trail.repository';
import { AuditTrailService } from './audit-trail.service';
import { AuditTrailSink } from './audit-trail.sink';

/** The audit trail (审计日志) of every service: measures' own records, the others' as events, and its reads. */
@Module({
  imports: [MeasuresCoreModule],
  controllers: [AuditController, AuditHandler],
  providers: [AuditTrailRepository, AuditTrailService, { provide: AuditSink, useClass: AuditTrailSink }, AuditRecorder],
  exports: [AuditRecorder],
})
export class AuditModule {}
