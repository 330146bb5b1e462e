import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rule set of each list type (名单规则: procedure, repair path, grades with their publication
 * periods, whether an objection holds the measures, the basis, removal conditions and remedies). Its
 * columns are added before the seed catalogue is written (`SeedCatalogue1764300000003` calls
 * {@link addListTypeRuleColumns} first, so a new installation's version 1 carries the seed's rule sets);
 * on an installation seeded before, this migration adds them and sets, on the current catalogue, the
 * 2018 path the list types followed: `repairable` → `watch-list-2018`, otherwise `none`; listed
 * directly; not graded. Published versions are immutable and keep their documents: readers complete
 * the missing rule fields the same way (`listTypeRules`). The office moves a list type to the national
 * rules by publishing a catalogue version.
 */
export async function addListTypeRuleColumns(q: QueryRunner): Promise<void> {
  await q.query(`
    ALTER TABLE list_types
      ADD COLUMN IF NOT EXISTS procedure text NOT NULL DEFAULT 'direct' CHECK (procedure IN ('direct', 'notice-first')),
      ADD COLUMN IF NOT EXISTS repair_path text CHECK (repair_path IN ('watch-list-2018', 'application-2025', 'none')),
      ADD COLUMN IF NOT EXISTS grades jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN IF NOT EXISTS default_grade text CHECK (default_grade IN ('minor', 'general', 'serious')),
      ADD COLUMN IF NOT EXISTS objection_holds_measures boolean NOT NULL DEFAULT false,
      ADD COLUMN IF NOT EXISTS basis jsonb,
      ADD COLUMN IF NOT EXISTS removal_conditions text,
      ADD COLUMN IF NOT EXISTS remedies text,
      ADD COLUMN IF NOT EXISTS repair_decision_working_days int NOT NULL DEFAULT 10,
      ADD COLUMN IF NOT EXISTS withheld_facilitations jsonb`); // NOT NULL from WithheldFacilitations1764300000271
}

export class ListTypeRules1764300000191 implements MigrationInterface {
  name = 'ListTypeRules1764300000191';

  async up(q: QueryRunner): Promise<void> {
    await addListTypeRuleColumns(q);
    await q.query(
      `UPDATE list_types SET repair_path = CASE WHEN repairable THEN 'watch-list-2018' ELSE 'none' END WHERE repair_path IS NULL`,
    );
    await q.query(`ALTER TABLE list_types ALTER COLUMN repair_path SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE list_types DROP COLUMN procedure, DROP COLUMN repair_path, DROP COLUMN grades,
        DROP COLUMN default_grade, DROP COLUMN objection_holds_measures, DROP COLUMN basis,
        DROP COLUMN removal_conditions, DROP COLUMN remedies`);
  }
}
