import { DynamicModule, Module } from '@nestjs/common';
import { serviceDatabase } from '@jrp/database';
import { MessagingModule, MessagingTables1764300000000 } from '@jrp/messaging';
import { RevokedTokens1764300000010, TokenRevocationModule } from '@jrp/auth';
import { ConsumerGroups } from '@jrp/contracts';
import { FeedbackController } from './feedback/feedback.controller';
import { FeedbackService } from './feedback/feedback.service';
import { Feedback1764300000201 } from './migrations/1764300000201-feedback';
import { ReportsController } from './reports/reports.controller';
import { TaskHandler } from './task-copy/task.handler';

export const FEEDBACK = 'feedback';

/** feedback: what departments implemented, and the office's completion reports. Owns the `feedback` schema. */
@Module({})
export class FeedbackModule {
  static register(): DynamicModule {
    return {
      module: FeedbackModule,
      imports: [
        serviceDatabase({
          name: FEEDBACK,
          schema: (config) => config.schemaOf('feedback'),
          migrations: [MessagingTables1764300000000, RevokedTokens1764300000010, Feedback1764300000201],
        }),
        MessagingModule.forService({ service: FEEDBACK, dataSource: FEEDBACK }),
        TokenRevocationModule.forService({ group: ConsumerGroups.Feedback, dataSource: FEEDBACK }),
      ],
      controllers: [FeedbackController, ReportsController, TaskHandler],
      providers: [FeedbackService],
    };
  }
}
