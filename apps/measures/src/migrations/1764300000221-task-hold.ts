import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 异议期间暂停实施: a task may be on hold (`on-hold`) while an objection on its entry is pending, where the
 * list type's rule set says so; putting it on hold and releasing it are task changes of their own
 * (`held`, `released`) in the feed.
 */
export class TaskHold1764300000221 implements MigrationInterface {
  name = 'TaskHold1764300000221';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
      CHECK (status IN ('open', 'acknowledged', 'returned', 'revoked', 'on-hold'))`);
    await q.query(`ALTER TABLE task_changes DROP CONSTRAINT task_changes_type_check`);
    await q.query(`ALTER TABLE task_changes ADD CONSTRAINT task_changes_type_check
      CHECK (type IN ('dispatched', 'updated', 'revoked', 'acknowledged', 'returned', 'checked', 'lifted', 'held', 'released'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM task_changes WHERE type IN ('held', 'released')`);
    await q.query(`ALTER TABLE task_changes DROP CONSTRAINT task_changes_type_check`);
    await q.query(`ALTER TABLE task_changes ADD CONSTRAINT task_changes_type_check
      CHECK (type IN ('dispatched', 'updated', 'revoked', 'acknowledged', 'returned', 'checked', 'lifted'))`);
    await q.query(`UPDATE tasks SET status = CASE WHEN acknowledged_at IS NULL THEN 'open' ELSE 'acknowledged' END
      WHERE status = 'on-hold'`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
      CHECK (status IN ('open', 'acknowledged', 'returned', 'revoked'))`);
  }
}
