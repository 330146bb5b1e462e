import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The working days (工作日) a list type's deciding department has to decide a repair application
 * (信用修复申请, 信用修复管理办法 2025): 10 unless the office sets another number in a catalogue version.
 * A new installation gets the column with the other rule-set columns (`addListTypeRuleColumns`).
 */
export class RepairDecisionDays1764300000212 implements MigrationInterface {
  name = 'RepairDecisionDays1764300000212';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE list_types ADD COLUMN IF NOT EXISTS repair_decision_working_days int NOT NULL DEFAULT 10`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_types DROP COLUMN repair_decision_working_days`);
  }
}
