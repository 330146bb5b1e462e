import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The safety options of an import's push (全量导入): a dry run, the removal limit and its confirmation
 * (`FullPushSafetyDto`), kept with the job so that a queued job runs with them.
 */
export class ImportPushOptions1764300000231 implements MigrationInterface {
  name = 'ImportPushOptions1764300000231';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports ADD COLUMN push_options jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE imports DROP COLUMN push_options`);
  }
}
