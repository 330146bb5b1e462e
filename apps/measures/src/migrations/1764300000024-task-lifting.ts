import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 解除确认: a revoked task keeps its revocation (why, when, by when its lifting is to be confirmed) and
 * its organisation's confirmation that it lifted the measures; the confirmation is a task change of its
 * own (`lifted`) in the feed.
 */
export class TaskLifting1764300000024 implements MigrationInterface {
  name = 'TaskLifting1764300000024';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN revocation jsonb, ADD COLUMN lifting jsonb`);
    await q.query(`ALTER TABLE task_changes DROP CONSTRAINT task_changes_type_check`);
    await q.query(`ALTER TABLE task_changes ADD CONSTRAINT task_changes_type_check
      CHECK (type IN ('dispatched', 'updated', 'revoked', 'acknowledged', 'returned', 'checked', 'lifted'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM task_changes WHERE type = 'lifted'`);
    await q.query(`ALTER TABLE task_changes DROP CONSTRAINT task_changes_type_check`);
    await q.query(`ALTER TABLE task_changes ADD CONSTRAINT task_changes_type_check
      CHECK (type IN ('dispatched', 'updated', 'revoked', 'acknowledged', 'returned', 'checked'))`);
    await q.query(`ALTER TABLE tasks DROP COLUMN revocation, DROP COLUMN lifting`);
  }
}
