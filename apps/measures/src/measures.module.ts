import { DynamicModule, Module } from '@nestjs/common';
import { IdentityModule } from './admin/identity.module';
import { AuditModule } from './audit/audit.module';
import { CalendarModule } from './calendar/calendar.module';
import { CatalogueModule } from './catalogue/catalogue.module';
import { CatalogueVersionsModule } from './catalogue/versions/catalogue-versions.module';
import { ChecksModule } from './checks/checks.module';
import { MatchingModule } from './matching/matching.module';
import { MeasuresCoreModule } from './measures-core.module';
import { DeliveryModule } from './subscriptions/delivery.module';
import { TaskStateModule } from './tasks/state/task-state.module';
import { TasksModule } from './tasks/tasks.module';

export { MEASURES, measuresDatabase } from './measures-database';

/**
 * measures: the catalogue, organisations and tokens, matching (list entry → tasks), the departments'
 * task feed, delivery and counter checks, one feature module each. Owns the `measures` schema.
 */
@Module({})
export class MeasuresModule {
  static register(): DynamicModule {
    return {
      module: MeasuresModule,
      imports: [
        MeasuresCoreModule,
        // TasksModule before TaskStateModule: /tasks/feed and /tasks/stream are routed before /tasks/:id/…
        TasksModule,
        CatalogueModule,
        CatalogueVersionsModule,
        CalendarModule,
        IdentityModule,
        AuditModule,
        DeliveryModule,
        TaskStateModule,
        ChecksModule,
        MatchingModule,
      ],
    };
  }
}
