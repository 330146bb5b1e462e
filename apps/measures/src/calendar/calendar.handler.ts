import { Controller } from '@nestjs/common';
import { CatalogueEvents, ConsumerGroups } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { CalendarService } from './calendar.service';

/** A replica that did not make a calendar change learns of it here, and reloads. */
@Controller()
export class CalendarHandler {
  constructor(private readonly calendars: CalendarService) {}

  @ConsumesEvents(CatalogueEvents.CalendarChanged, ConsumerGroups.Measures)
  onCalendarChanged(): void {
    this.calendars.invalidate();
  }
}
