import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarOverride, WorkingDayCalendar } from '@jrp/domain';

/**
 * The working-day calendar (工作日) as measures keeps it: exceptions to the Monday–Friday rule, per
 * year, seeded from the holiday library and correctable by the office. Read once and cached; a change
 * reloads it.
 */
@Injectable()
export class CalendarService {
  private cached?: Promise<WorkingDayCalendar>;

  constructor(@InjectDataSource('measures') private readonly dataSource: DataSource) {}

  calendar(m: EntityManager | DataSource = this.dataSource): Promise<WorkingDayCalendar> {
    this.cached ??= this.load(m).catch((error) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async load(m: EntityManager | DataSource): Promise<WorkingDayCalendar> {
    const days: CalendarOverride[] = await m.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM calendar_days ORDER BY date`,
    );
    const years: { year: number }[] = await m.query(`SELECT year FROM calendar_years ORDER BY year`);
    return new WorkingDayCalendar(
      days,
      years.map((y) => y.year),
    );
  }
}
