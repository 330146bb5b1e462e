import { Module } from '@nestjs/common';
import { ReassignmentsRepository } from './reassignments.repository';
import { EntryStatesRepository } from './entry-states.repository';
import { CalendarModule } from '../calendar/calendar.module';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { MeasuresCoreModule } from '../measures-core.module';
import { TasksModule } from '../tasks/tasks.module';
import { ListEntryHandler } from './list-entry.handler';
import { MatchingService } from './matching.service';
import { TermJob } from './term.job';

/** Where a list entry becomes tasks: its change matched against the catalogue, the tasks planned and written. */
@Module({
  imports: [MeasuresCoreModule, CatalogueModule, CalendarModule, TasksModule],
  controllers: [ListEntryHandler],
  providers: [ReassignmentsRepository, EntryStatesRepository, MatchingService, TermJob],
  exports: [ReassignmentsRepository, EntryStatesRepository, MatchingService, TermJob],
})
export class MatchingModule {}
