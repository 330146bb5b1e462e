import { Controller, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Ctx, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { CalendarChangedData, CatalogueEvents, ConsumerGroups } from '@jrp/contracts';
import { CalendarOverride, WorkingDayCalendar } from '@jrp/domain';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';

/** The working-day calendar as list-ingestion knows it (measures owns it), cached until it changes. */
@Injectable()
export class WorkingDays {
  private cached?: Promise<WorkingDayCalendar>;

  constructor(@InjectDataSource('list-ingestion') private readonly dataSource: DataSource) {}

  calendar(): Promise<WorkingDayCalendar> {
    this.cached ??= this.dataSource
      .query(`SELECT year, days FROM known_calendar_years`)
      .then(
        (rows: { year: number; days: CalendarOverride[] }[]) =>
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
  constructor(private readonly workingDays: WorkingDays) {}

  @ConsumesEvents(CatalogueEvents.CalendarChanged, ConsumerGroups.ListIngestion)
  async onCalendarChanged(@Payload() data: CalendarChangedData, @Ctx() { manager }: ConsumerContext): Promise<void> {
    await manager.query(
      `INSERT INTO known_calendar_years (year, version, days) VALUES ($1, $2, $3)
       ON CONFLICT (year) DO UPDATE SET version = $2, days = $3 WHERE known_calendar_years.version < $2`,
      [
        data.year,
        data.version,
        JSON.stringify(data.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name ?? undefined }))),
      ],
    );
    this.workingDays.invalidate();
  }
}
