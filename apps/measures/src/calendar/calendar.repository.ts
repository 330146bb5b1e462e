import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';
import type { CalendarOverride } from '@jrp/domain';

/** One exception to the Monday–Friday rule (`calendar_days`). */
export interface CalendarDayRow {
  date: string;
  kind: 'workday' | 'holiday';
  name: string | null;
  source: 'library' | 'office';
}

export const calendarDays = new Table<CalendarDayRow>('calendar_days', {
  date: { column: 'date', read: `to_char($, 'YYYY-MM-DD')`, cast: 'date' },
  kind: 'kind',
  name: 'name',
  source: 'source',
});

/** A year the calendar knows (`calendar_years`): who set it and its version. */
export interface CalendarYearRow {
  year: number;
  source: 'library' | 'office';
  version: number;
}

/** A known year's version with one of its exceptions (none: `date` null), as the calendar event carries them. */
export interface CalendarYearDayRow {
  year: number;
  version: number;
  date: string | null;
  kind: 'workday' | 'holiday';
  name: string | null;
}

/**
 * The years' exceptions with their versions, on a given manager: the repository's, or a migration's
 * query runner (the seeded calendar's announcement).
 */
export function calendarYearDays(manager: EntityManager, years: number[]): Promise<CalendarYearDayRow[]> {
  return manager.query<CalendarYearDayRow[]>(
    `SELECT y.year, y.version, to_char(d.date, 'YYYY-MM-DD') AS date, d.kind, d.name
     FROM calendar_years y LEFT JOIN calendar_days d ON extract(year FROM d.date) = y.year
     WHERE y.year = ANY($1) ORDER BY y.year, d.date`,
    [years],
  );
}

/** The working-day calendar (工作日历): exceptions to Monday–Friday, by year. */
@Injectable()
export class CalendarRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /** Every exception, by date (what the calendar is built from). */
  allDays(): Promise<CalendarOverride[]> {
    return this.query<CalendarOverride[]>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_days ORDER BY date`,
    );
  }

  async knownYears(): Promise<number[]> {
    const years = await this.query<{ year: number }[]>(`SELECT year FROM calendar_years ORDER BY year`);
    return years.map((y) => y.year);
  }

  async year(year: number): Promise<Omit<CalendarYearRow, 'year'> | undefined> {
    const [known] = await this.query<Omit<CalendarYearRow, 'year'>[]>(
      `SELECT source, version FROM calendar_years WHERE year = $1`,
      [year],
    );
    return known;
  }

  days(year: number): Promise<CalendarDayRow[]> {
    return this.query<CalendarDayRow[]>(
      `SELECT ${calendarDays.selectList()} FROM calendar_days WHERE extract(year FROM date) = $1 ORDER BY date`,
      [year],
    );
  }

  /** Replaces a year's exceptions with the office's and moves the year to its next version. */
  async replaceYear(year: number, days: Omit<CalendarDayRow, 'source'>[]): Promise<void> {
    await this.query(`DELETE FROM calendar_days WHERE extract(year FROM date) = $1`, [year]);
    if (days.length) {
      // unnest: one statement whatever the number of days
      await this.query(
        `INSERT INTO calendar_days (${calendarDays.columnList()})
         SELECT d, k, n, 'office' FROM unnest($1::date[], $2::text[], $3::text[]) AS t(d, k, n)`,
        [days.map((d) => d.date), days.map((d) => d.kind), days.map((d) => d.name ?? null)],
      );
    }
    await this.query(
      `INSERT INTO calendar_years (year, source, version) VALUES ($1, 'office', 1)
       ON CONFLICT (year) DO UPDATE SET source = 'office', version = calendar_years.version + 1`,
      [year],
    );
  }

  yearDays(years: number[]): Promise<CalendarYearDayRow[]> {
    return calendarYearDays(this.manager, years);
  }
}
