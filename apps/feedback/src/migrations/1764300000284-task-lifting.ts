import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 解除确认 as feedback knows it from task events: a revoked task's revocation (why, when its entry's
 * change took effect, by when lifting is to be confirmed) and the organisation's confirmation, for the
 * lifting report. Only revocations that owe a confirmation (`lift_by` set) are indexed.
 */
export class TaskLifting1764300000284 implements MigrationInterface {
  name = 'TaskLifting1764300000284';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE known_tasks
        ADD COLUMN revocation_reason text,
        ADD COLUMN revocation_at timestamptz,
        ADD COLUMN lift_by timestamptz,
        ADD COLUMN lifted_at timestamptz,
        ADD COLUMN lift_note text,
        ADD COLUMN lift_confirmed_at timestamptz`);
    await q.query(
      `CREATE INDEX known_tasks_lifting ON known_tasks (city, revocation_at, entry_id) WHERE lift_by IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX known_tasks_lifting`);
    await q.query(`
      ALTER TABLE known_tasks
        DROP COLUMN revocation_reason, DROP COLUMN revocation_at, DROP COLUMN lift_by,
        DROP COLUMN lifted_at, DROP COLUMN lift_note, DROP COLUMN lift_confirmed_at`);
  }
}
