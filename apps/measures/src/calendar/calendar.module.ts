import { Module } from '@nestjs/common';
import { CalendarRepository } from './calendar.repository';
import { AuditModule } from '../audit/audit.module';
import { MeasuresCoreModule } from '../measures-core.module';
import { CalendarController } from './calendar.controller';
import { CalendarHandler } from './calendar.handler';
import { CalendarService } from './calendar.service';

/** The working-day calendar (工作日): holidays and make-up days that set task deadlines. */
@Module({
  imports: [MeasuresCoreModule, AuditModule],
  controllers: [CalendarController, CalendarHandler],
  providers: [CalendarRepository, CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
