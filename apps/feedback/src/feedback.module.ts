import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { serviceDatabase } from '@jrp/database';
import { IDEMPOTENCY_DATA_SOURCE, IdempotencyInterceptor, IdempotencyKeys1764300000011 } from '@jrp/http';
import { DeadLetterResolutions1764300000301, MessagingModule, MessagingTables1764300000000, OutboxAsSent1764300000302 } from '@jrp/messaging';
import { RevokedTokens1764300000010, TokenRevocationModule } from '@jrp/auth';
import { ConsumerGroups } from '@jrp/contracts';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { CatalogueHandler } from './catalogue-copy/catalogue.handler';
import { Clock } from './clock';
import { DashboardRoutes } from './dashboard/dashboard.routes';
import { ListEntryHandler } from './entries-copy/list-entry.handler';
import { FeedbackController } from './feedback/feedback.controller';
import { FeedbackRepository } from './feedback/feedback.repository';
import { FeedbackService } from './feedback/feedback.service';
import { Feedback1764300000201 } from './migrations/1764300000201-feedback';
import { FeedbackVersionsStatistics1764300000202 } from './migrations/1764300000202-feedback-versions-statistics';
import { ReportsController } from './reports/reports.controller';
import { ReportsRepository } from './reports/reports.repository';
import { ReportsService } from './reports/reports.service';
import { TaskStatistics } from './statistics/task-statistics';
import { TaskHandler } from './task-copy/task.handler';

export const FEEDBACK = 'feedback';
export const FEEDBACK_MIGRATIONS = [MessagingTables1764300000000, DeadLetterResolutions1764300000301, OutboxAsSent1764300000302, RevokedTokens1764300000010, IdempotencyKeys1764300000011, Feedback1764300000201, FeedbackVersionsStatistics1764300000202];

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
        serviceDatabase({ name: FEEDBACK, schema: (config) => config.schemaOf('feedback'), migrations: FEEDBACK_MIGRATIONS }),
        MessagingModule.forService({ service: FEEDBACK, dataSource: FEEDBACK }),
        TokenRevocationModule.forService({ group: ConsumerGroups.Feedback, dataSource: FEEDBACK }),
      ],
      // the cases' routes come first: `feedback/cases` is not a feedback id
      controllers: [CasesController, FeedbackController, ReportsController, TaskHandler, CatalogueHandler, ListEntryHandler],
      providers: [
        { provide: IDEMPOTENCY_DATA_SOURCE, useExisting: getDataSourceToken(FEEDBACK) },
        IdempotencyInterceptor,
        Clock, TaskStatistics, FeedbackRepository, FeedbackService, CasesService, ReportsRepository, ReportsService, DashboardRoutes,
      ],
    };
  }
}
