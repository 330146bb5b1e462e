import { DynamicModule, Module } from '@nestjs/common';
import { AuditRecorder, AuditSink } from '@jrp/audit';
import { serviceDatabase } from '@jrp/database';
import { MessagingModule } from '@jrp/messaging';
import { ConsumerGroups } from '@jrp/contracts';
import { TokenRevocationModule } from '@jrp/auth';
import { AuditController } from './audit/audit.controller';
import { AuditHandler } from './audit/audit.handler';
import { AuditTrailRepository } from './audit/audit-trail.repository';
import { AuditTrailSink } from './audit/audit-trail.sink';
import { AuditTrailService } from './audit/audit-trail.service';
import { TaskQueriesService } from './tasks/queries/task-queries.service';
import { CatalogueQueriesService } from './catalogue/catalogue-queries.service';
import { TokenUsageHandler } from './admin/token-usage.handler';
import { AdminController } from './admin/admin.controller';
import { OrganizationsService } from './admin/organizations.service';
import { TokenService } from './admin/token.service';
import { TokensRepository } from './admin/tokens.repository';
import { CatalogueController } from './catalogue/catalogue.controller';
import { ChecksController } from './checks/checks.controller';
import { ChecksRepository } from './checks/checks.repository';
import { ChecksService } from './checks/checks.service';
import { CatalogueRepository } from './catalogue/catalogue.repository';
import { CatalogueVersionsRepository } from './catalogue/versions/catalogue-versions.repository';
import { CalendarRepository } from './calendar/calendar.repository';
import { EntryStatesRepository } from './matching/entry-states.repository';
import { ReassignmentsRepository } from './matching/reassignments.repository';
import { TasksRepository } from './tasks/tasks.repository';
import { DemoSeeder } from './demo/demo-seeder';
import { ListEntryHandler } from './matching/list-entry.handler';
import { MatchingService } from './matching/matching.service';
import { CalendarService } from './calendar/calendar.service';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarHandler } from './calendar/calendar.handler';
import { CatalogueVersionsController } from './catalogue/versions/catalogue-versions.controller';
import { CatalogueVersionsService } from './catalogue/versions/catalogue-versions.service';
import { RematchJob } from './catalogue/versions/rematch.job';
import { MEASURES_MIGRATIONS } from './measures.migrations';
import { FeedController } from './tasks/feed/feed.controller';
import { TaskChangeNotifier } from './tasks/feed/task-change-notifier';
import { TaskFeedRepository } from './tasks/feed/task-feed.repository';
import { TaskFeedService } from './tasks/feed/task-feed.service';
import { FeedbackMirrorHandler } from './tasks/feedback-mirror.handler';
import { TaskQueriesRepository } from './tasks/queries/task-queries.repository';
import { TasksController } from './tasks/queries/tasks.controller';
import { TaskStateController } from './tasks/state/task-state.controller';
import { TaskStateService } from './tasks/state/task-state.service';
import { TaskWriter } from './tasks/task-writer';
import { DeliveryRepository } from './subscriptions/delivery/delivery.repository';
import { WebhookDeliveryWorker } from './subscriptions/delivery/webhook-delivery.worker';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { SubscriptionsRepository } from './subscriptions/subscriptions.repository';
import { SubscriptionsService } from './subscriptions/subscriptions.service';
import { TargetChecker } from './subscriptions/target-checker';
import { WebhookSecrets } from './subscriptions/webhook-secrets';
import { WebhookTargetsController } from './subscriptions/webhook-targets.controller';

export const MEASURES = 'measures';

/** measures' data source: its schema, migrated at start (also what the admin tool opens). */
export const measuresDatabase = () =>
  serviceDatabase({ name: MEASURES, schema: (config) => config.schemaOf('measures'), migrations: MEASURES_MIGRATIONS });

/**
 * measures: the catalogue, organisations and tokens, matching (list entry → tasks) and the
 * departments' task feed. Owns the `measures` schema.
 */
@Module({})
export class MeasuresModule {
  static register(): DynamicModule {
    return {
      module: MeasuresModule,
      imports: [
        measuresDatabase(),
        MessagingModule.forService({ service: MEASURES, dataSource: MEASURES }),
        TokenRevocationModule.forService({ group: ConsumerGroups.Measures, dataSource: MEASURES }),
      ],
      // FeedController before TasksController: /tasks/feed and /tasks/stream are not task ids
      controllers: [
        CatalogueController,
        CatalogueVersionsController,
        CalendarController,
        CalendarHandler,
        AdminController,
        AuditController,
        SubscriptionsController,
        WebhookTargetsController,
        FeedController,
        TasksController,
        TaskStateController,
        ChecksController,
        ListEntryHandler,
        FeedbackMirrorHandler,
        AuditHandler,
        TokenUsageHandler,
      ],
      providers: [
        AuditTrailRepository,
        { provide: AuditSink, useClass: AuditTrailSink },
        AuditRecorder,
        AuditTrailService,
        TaskQueriesService,
        CatalogueQueriesService,
        CalendarService,
        CatalogueVersionsService,
        RematchJob,
        CatalogueRepository,
        CatalogueVersionsRepository,
        CalendarRepository,
        EntryStatesRepository,
        ReassignmentsRepository,
        TasksRepository,
        TokenService,
        TokensRepository,
        OrganizationsService,
        MatchingService,
        DemoSeeder,
        TaskWriter,
        TaskFeedRepository,
        TaskChangeNotifier,
        TaskFeedService,
        TaskQueriesRepository,
        TaskStateService,
        ChecksRepository,
        ChecksService,
        SubscriptionsRepository,
        SubscriptionsService,
        TargetChecker,
        WebhookSecrets,
        DeliveryRepository,
        WebhookDeliveryWorker,
      ],
      exports: [DemoSeeder],
    };
  }
}
