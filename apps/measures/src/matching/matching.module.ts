import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { MeasuresCoreModule } from '../measures-core.module';
import { TasksModule } from '../tasks/tasks.module';
import { ListEntryHandler } from './list-entry.handler';
import { MatchingService } from './matching.service';

/** Where a list entry becomes tasks: its change matched against the catalogue, the tasks planned and written. */
@Module({
  imports: [MeasuresCoreModule, CatalogueModule, CalendarModule, TasksModule],
  controllers: [ListEntryHandler],
  providers: [MatchingService],
  exports: [MatchingService],
})
export class MatchingModule {}
