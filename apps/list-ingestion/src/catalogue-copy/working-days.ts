import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CalendarChangedData, CatalogueEvents, ConsumerGroups } from '@jrp/contracts';
import { WorkingDayCalendar } from '@jrp/domain';
import { ConsumesEvents } from '@jrp/messaging';
import { CatalogueCopyRepository } from './catalogue-copy.repository';

/** The working-day calendar as list-ingestion knows it (measures owns it), cached until it changes. */
@Injectable()
export class WorkingDays {
  private cached?: Promise<WorkingDayCalendar>;

  constructor(private readonly copy: CatalogueCopyRepository) {}

  calendar(): Promise<WorkingDayCalendar> {
    this.cached ??= this.copy
      .calendarYears()
      .then(
        (rows) =>
          new WorkingDayCalendar(
            rows.flatMap((r) => r.days),
            rows.map((r) => r.year),
          ),
      )
      .catch((error) => {
        this.cached = undefined;
        throw error;
      });
    return this.cached;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}

@Controller()
export class CalendarCopyHandler {
  constructor(
    private readonly copy: CatalogueCopyRepository,
    private readonly workingDays: WorkingDays,
  ) {}

  @ConsumesEvents(CatalogueEvents.CalendarChanged, ConsumerGroups.ListIngestion)
  async onCalendarChanged(@Payload() data: CalendarChangedData): Promise<void> {
    await this.copy.upsertCalendarYear({
      year: data.year,
      version: data.version,
      days: data.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name ?? undefined })),
    });
    this.workingDays.invalidate();
  }
}
