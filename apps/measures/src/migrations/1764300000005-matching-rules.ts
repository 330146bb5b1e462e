import { MigrationInterface, QueryRunner } from 'typeorm';
import { overridesFromLibrary } from '@jrp/domain';

/**
 * The working-day calendar (statutory holidays and make-up workdays), seeded from the maintained
 * `chinese-days` library and correctable by the office; the due date of each task.
 */
export class MatchingRules1764300000005 implements MigrationInterface {
  name = 'MatchingRules1764300000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_days (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('workday', 'holiday')),
        name text,
        source text NOT NULL CHECK (source IN ('library', 'office')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE TABLE calendar_years (year int PRIMARY KEY, source text NOT NULL)`);
    const { overrides, years } = overridesFromLibrary(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i));
    for (let i = 0; i < overrides.length; i += 500) {
      const chunk = overrides.slice(i, i + 500);
      await q.query(
        `INSERT INTO calendar_days (date, kind, name, source) SELECT d, k, n, 'library' FROM unnest($1::date[], $2::text[], $3::text[]) AS t(d, k, n)`,
        [chunk.map((o) => o.date), chunk.map((o) => o.kind), chunk.map((o) => o.name ?? null)],
      );
    }
    await q.query(`INSERT INTO calendar_years (year, source) SELECT unnest($1::int[]), 'library'`, [years]);
    await q.query(`ALTER TABLE tasks ADD COLUMN due_at timestamptz, ADD COLUMN dispatched_on date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP COLUMN due_at, DROP COLUMN dispatched_on`);
    await q.query(`DROP TABLE calendar_years`);
    await q.query(`DROP TABLE calendar_days`);
  }
}
