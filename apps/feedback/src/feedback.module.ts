import { DynamicModule, Module } from '@nestjs/common';
import { AuditRecorder, AuditSink, OutboxAuditSink } from '@jrp/audit';
import { getDataSourceToken } from '@nestjs/typeorm';
import { serviceDatabase } from '@jrp/database';
import { IDEMPOTENCY_DATA_SOURCE, IdempotencyInterceptor } from '@jrp/http';
import { MessagingModule } from '@jrp/messaging';
import { TokenRevocationModule } from '@jrp/auth';
import { ConsumerGroups } from '@jrp/contracts';
import { CasesController } from './cases/cases.controller';
import { CasesRepository } from './cases/cases.repository';
import { CasesService } from './cases/cases.service';
import { CatalogueCopyRepository } from './catalogue-copy/catalogue-copy.repository';
import { CatalogueHandler } from './catalogue-copy/catalogue.handler';
import { Clock } from './clock';
import { DashboardRoutes } from './dashboard/dashboard.routes';
import { EntriesCopyRepository } from './entries-copy/entries-copy.repository';
import { ListEntryHandler } from './entries-copy/list-entry.handler';
import { FeedbackController } from './feedback/feedback.controller';
import { FeedbackRepository } from './feedback/feedback.repository';
import { FeedbackService } from './feedback/feedback.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsRepository } from './reports/reports.repository';
import { ReportsService } from './reports/reports.service';
import { RollupsRepository } from './statistics/rollups.repository';
import { TaskStatistics } from './statistics/task-statistics';
import { TaskStatisticsRepository } from './statistics/task-statistics.repository';
import { TaskCopyRepository } from './task-copy/task-copy.repository';
import { TaskHandler } from './task-copy/task.handler';
import { FEEDBACK_MIGRATIONS } from './feedback.migrations';

export const FEEDBACK = 'feedback';

/**
 * feedback: what departments implemented per measure item, cases, the statistics kept from task,
 * list-entry and catalogue events, the office's reports and its dashboard. Owns the `feedback` schema.
 */
@Module({})
export class FeedbackModule {
  static register(): DynamicModule {
    return {
      module: FeedbackModule,
      imports: [
        serviceDatabase({
          name: FEEDBACK,
          schema: (config) => config.schemaOf('feedback'),
          migrations: FEEDBACK_MIGRATIONS,
        }),
        MessagingModule.forService({ service: FEEDBACK, dataSource: FEEDBACK }),
        TokenRevocationModule.forService({ group: ConsumerGroups.Feedback, dataSource: FEEDBACK }),
      ],
      // the cases' routes come first: `feedback/cases` is not a feedback id
      controllers: [
        CasesController,
        FeedbackController,
        ReportsController,
        TaskHandler,
        CatalogueHandler,
        ListEntryHandler,
      ],
      providers: [
        { provide: IDEMPOTENCY_DATA_SOURCE, useExisting: getDataSourceToken(FEEDBACK) },
        IdempotencyInterceptor,
        { provide: AuditSink, useClass: OutboxAuditSink },
        AuditRecorder,
        Clock,
        TaskCopyRepository,
        CatalogueCopyRepository,
        EntriesCopyRepository,
        RollupsRepository,
        TaskStatisticsRepository,
        TaskStatistics,
        FeedbackRepository,
        FeedbackService,
        CasesRepository,
        CasesService,
        ReportsRepository,
        ReportsService,
        DashboardRoutes,
      ],
    };
  }
}
