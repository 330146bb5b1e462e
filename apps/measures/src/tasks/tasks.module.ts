import { Module } from '@nestjs/common';
import { TasksRepository } from './tasks.repository';
import { AuditModule } from '../audit/audit.module';
import { MeasuresCoreModule } from '../measures-core.module';
import { FeedController } from './feed/feed.controller';
import { TaskChangeNotifier } from './feed/task-change-notifier';
import { TaskFeedRepository } from './feed/task-feed.repository';
import { TaskFeedService } from './feed/task-feed.service';
import { TaskEventFeed } from './feed/task-event-feed';
import { FeedbackMirrorHandler } from './feedback-mirror.handler';
import { TaskQueriesRepository } from './queries/task-queries.repository';
import { TaskQueriesService } from './queries/task-queries.service';
import { TasksController } from './queries/tasks.controller';
import { TaskWriter } from './task-writer';

/**
 * Tasks (任务) and each department's feed of them: how they are written, read, streamed and long-polled,
 * and the task events the relay sends from the feed.
 */
@Module({
  imports: [MeasuresCoreModule, AuditModule],
  // FeedController before TasksController: /tasks/feed and /tasks/stream are not task ids
  controllers: [FeedController, TasksController, FeedbackMirrorHandler],
  providers: [
    TasksRepository,
    TaskWriter,
    TaskFeedRepository,
    TaskChangeNotifier,
    TaskFeedService,
    TaskEventFeed,
    TaskQueriesRepository,
    TaskQueriesService,
  ],
  exports: [TasksRepository, TaskWriter, TaskChangeNotifier, TaskQueriesService],
})
export class TasksModule {}
