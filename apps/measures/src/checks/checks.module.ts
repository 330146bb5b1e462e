import { Module } from '@nestjs/common';
import { MatchingModule } from '../matching/matching.module';
import { AuditModule } from '../audit/audit.module';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { MeasuresCoreModule } from '../measures-core.module';
import { TaskStateModule } from '../tasks/state/task-state.module';
import { ChecksController } from './checks.controller';
import { ChecksRepository } from './checks.repository';
import { ChecksService } from './checks.service';
import { BatchChecksService } from './batch-checks.service';
import { CheckIndex } from './check-index/check-index.service';
import { CheckRecorder } from './check-index/check-recorder';

/** Counter checks (事前查询): is this subject listed, and which measures apply to this business. */
@Module({
  imports: [MeasuresCoreModule, MatchingModule, AuditModule, CatalogueModule, TaskStateModule],
  controllers: [ChecksController],
  providers: [ChecksRepository, ChecksService, BatchChecksService, CheckIndex, CheckRecorder],
})
export class ChecksModule {}
