import { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { OutboxService } from '@jrp/messaging';
import { calendarChangedEvents } from '../calendar/calendar.events';
import { calendarYearDays } from '../calendar/calendar.repository';

/** Announces the years as they stand, on a migration's query runner (services use CalendarService). */
async function announceCalendarYears(m: EntityManager, outbox: OutboxService, years: number[]): Promise<void> {
  if (years.length === 0) return;
  await outbox.append(m, calendarChangedEvents(await calendarYearDays(m, years)));
}

/** Announces the seeded calendar, year by year, so the other services keep the same working days. */
export class CalendarEvents1764300000006 implements MigrationInterface {
  name = 'CalendarEvents1764300000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calendar_years ADD COLUMN version int NOT NULL DEFAULT 1`);
    const years = (await q.query(`SELECT year FROM calendar_years ORDER BY year`)) as { year: number }[];
    await announceCalendarYears(
      q.manager,
      new OutboxService('/jrp/measures'),
      years.map((y) => y.year),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calendar_years DROP COLUMN version`);
  }
}
