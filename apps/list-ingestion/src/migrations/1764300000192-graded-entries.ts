import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rule sets and graded entries (信用修复管理办法 2025). The copy of the list types gets each list
 * type's rule set; the copy stored now came from a catalogue without rule sets, so it follows the 2018
 * path (`repairable` → `watch-list-2018`, otherwise `none`) until the next `jrp.catalogue.published`
 * replaces it. Entries get their grade, the last day published and the first day repair is possible;
 * entries stored before are ungraded (all three null) and keep the 2018 path's behaviour.
 */
export class GradedEntries1764300000192 implements MigrationInterface {
  name = 'GradedEntries1764300000192';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE known_list_types
        ADD COLUMN procedure text NOT NULL DEFAULT 'direct',
        ADD COLUMN repair_path text,
        ADD COLUMN grades jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN default_grade text,
        ADD COLUMN objection_holds_measures boolean NOT NULL DEFAULT false,
        ADD COLUMN basis jsonb,
        ADD COLUMN removal_conditions text,
        ADD COLUMN remedies text`);
    await q.query(
      `UPDATE known_list_types SET repair_path = CASE WHEN repairable THEN 'watch-list-2018' ELSE 'none' END`,
    );
    await q.query(`ALTER TABLE known_list_types ALTER COLUMN repair_path SET NOT NULL`);
    await q.query(`
      ALTER TABLE list_entries
        ADD COLUMN grade text CHECK (grade IN ('minor', 'general', 'serious')),
        ADD COLUMN public_until date,
        ADD COLUMN repairable_from date`);
    await q.query(
      `CREATE INDEX list_entries_publication_end ON list_entries (public_until) WHERE status IN ('active', 'watch') AND public_until IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX list_entries_publication_end`);
    await q.query(`ALTER TABLE list_entries DROP COLUMN grade, DROP COLUMN public_until, DROP COLUMN repairable_from`);
    await q.query(`
      ALTER TABLE known_list_types DROP COLUMN procedure, DROP COLUMN repair_path, DROP COLUMN grades,
        DROP COLUMN default_grade, DROP COLUMN objection_holds_measures, DROP COLUMN basis,
        DROP COLUMN removal_conditions, DROP COLUMN remedies`);
  }
}
