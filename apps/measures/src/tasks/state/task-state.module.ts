import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { CatalogueModule } from '../../catalogue/catalogue.module';
import { MatchingModule } from '../../matching/matching.module';
import { MeasuresCoreModule } from '../../measures-core.module';
import { TasksModule } from '../tasks.module';
import { TaskStateController } from './task-state.controller';
import { TaskStateService } from './task-state.service';

/** A task's life after dispatch: receipt, return, reassignment (签收, 退回, 改派). */
@Module({
  imports: [MeasuresCoreModule, CatalogueModule, TasksModule, MatchingModule, AuditModule],
  controllers: [TaskStateController],
  providers: [TaskStateService],
  exports: [TaskStateService],
})
export class TaskStateModule {}
