import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CalendarChangedData, CatalogueEvents, ConsumerGroups } from '@jrp/contracts';
import { afterCommit, CachedReads } from '@jrp/database';
import { WorkingDayCalendar } from '@jrp/domain';
import { ConsumesEvents } from '@jrp/messaging';
import { CatalogueCopyRepository } from './catalogue-copy.repository';

/** How long list-ingestion's calendar stays cached at most (see `WorkingDays`). */
export const WORKING_DAYS_TTL_MS = 5_000;

/**
 * The working-day calendar as list-ingestion knows it (measures owns it), cached. A change to the copy
 * drops the cache once its transaction has committed, on the one replica whose consumer received the
 * change; every other replica reads the copy again after `WORKING_DAYS_TTL_MS` at most.
 */
@Injectable()
export class WorkingDays {
  private readonly cached = new CachedReads<'calendar', WorkingDayCalendar>(WORKING_DAYS_TTL_MS);

  constructor(
    private readonly copy: CatalogueCopyRepository,
    @InjectDataSource('list-ingestion') private readonly dataSource: DataSource,
  ) {}

  calendar(): Promise<WorkingDayCalendar> {
    return this.cached.get('calendar', async () => {
      const rows = await this.copy.calendarYears();
      return new WorkingDayCalendar(
        rows.flatMap((r) => r.days),
        rows.map((r) => r.year),
      );
    });
  }

  /** Drops the cache once the transaction open here (the change's) has committed, or now outside one. */
  dropAfterCommit(): void {
    afterCommit(this.dataSource, () => this.cached.drop());
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
    this.workingDays.dropAfterCommit();
  }
}
