import { ForbiddenException, Injectable } from '@nestjs/common';
import { AuditRecorder } from '@jrp/audit';
import { Principal } from '@jrp/auth';
import { CachedReads } from '@jrp/database';
import { WorkingDayCalendar } from '@jrp/domain';
import { FieldValidationException } from '@jrp/http';
import { OutboxService, UnitOfWork } from '@jrp/messaging';
import { calendarChangedEvents } from './calendar.events';
import { CalendarDayRow, CalendarRepository } from './calendar.repository';

/** A year of the calendar as the API shows it. */
export interface CalendarYear {
  year: number;
  covered: boolean;
  source: 'library' | 'office' | null;
  version: number;
  days: CalendarDayRow[];
}

type DayInput = { date: string; kind: 'workday' | 'holiday'; name?: string | null };

/**
 * Why a year's exceptions cannot be set: a date not real or not in the year, a weekend holiday or a
 * weekday workday (they are the rule, not exceptions), a date twice. Pure, for the service and its test.
 */
export function calendarYearProblems(year: number, days: DayInput[]): { field: string; message: string }[] {
  const errors = days.flatMap((d, i) => {
    const day = new Date(`${d.date}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== d.date)
      return [{ field: `days.${i}.date`, message: 'is not a real date' }];
    if (day.getUTCFullYear() !== year) return [{ field: `days.${i}.date`, message: `is not in ${year}` }];
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
    if (weekend && d.kind === 'holiday')
      return [
        {
          field: `days.${i}.kind`,
          message: 'a weekend is not a working day anyway: only weekday holidays are listed',
        },
      ];
    if (!weekend && d.kind === 'workday')
      return [
        {
          field: `days.${i}.kind`,
          message: 'a weekday is a working day anyway: only weekend make-up workdays are listed',
        },
      ];
    return [];
  });
  if (new Set(days.map((d) => d.date)).size !== days.length)
    errors.push({ field: 'days', message: 'a date appears twice' });
  return errors;
}

/** How long the calendar stays cached at most (see `CalendarService`). */
export const CALENDAR_TTL_MS = 5_000;

/**
 * The working-day calendar (工作日) as measures keeps it: exceptions to the Monday–Friday rule, per
 * year, seeded from the holiday library and correctable by the office. Cached: a change drops the cache
 * of the replica that made it and, through its event, of the one replica of the consumer group that
 * receives it; every other replica reads the calendar again after `CALENDAR_TTL_MS` at most.
 */
@Injectable()
export class CalendarService {
  private readonly cached = new CachedReads<'calendar', WorkingDayCalendar>(CALENDAR_TTL_MS);

  constructor(
    private readonly repository: CalendarRepository,
    private readonly uow: UnitOfWork,
    private readonly outbox: OutboxService,
    private readonly audit: AuditRecorder,
  ) {}

  /** The calendar, from the cache or read (in the transaction open here) when it is not recent enough. */
  calendar(): Promise<WorkingDayCalendar> {
    return this.cached.get('calendar', () => this.load());
  }

  invalidate(): void {
    this.cached.drop();
  }

  async year(year: number): Promise<CalendarYear> {
    const known = await this.repository.year(year);
    const days = await this.repository.days(year);
    return { year, covered: Boolean(known), source: known?.source ?? null, version: known?.version ?? 0, days };
  }

  /** Sets a year's exceptions (the provincial office only), announces the year and answers it as it now stands. */
  async setYear(year: number, days: DayInput[], principal: Principal): Promise<CalendarYear> {
    if (principal.organization.level !== 'province')
      throw new ForbiddenException('only the provincial office sets the calendar');
    const errors = calendarYearProblems(year, days);
    if (errors.length) throw new FieldValidationException(errors);
    await this.uow.run(async () => {
      await this.repository.replaceYear(
        year,
        days.map((d) => ({ date: d.date, kind: d.kind, name: d.name ?? null })),
      );
      await this.outbox.append(calendarChangedEvents(await this.repository.yearDays([year])));
      await this.audit.record({
        action: 'calendar.set-year',
        objectType: 'calendar',
        objectId: String(year),
      });
    });
    this.invalidate();
    return this.year(year);
  }

  private async load(): Promise<WorkingDayCalendar> {
    const days = await this.repository.allDays();
    const years = await this.repository.knownYears();
    return new WorkingDayCalendar(days, years);
  }
}
