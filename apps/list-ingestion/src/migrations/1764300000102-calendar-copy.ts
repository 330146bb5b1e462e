import { MigrationInterface, QueryRunner } from 'typeorm';

/** list-ingestion's copy of the working-day calendar, from jrp.catalogue.calendar-changed (for objection deadlines). */
export class CalendarCopy1764300000102 implements MigrationInterface {
  name = 'CalendarCopy1764300000102';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE known_calendar_years (year int PRIMARY KEY, version int NOT NULL, days jsonb NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE known_calendar_years`);
  }
}
