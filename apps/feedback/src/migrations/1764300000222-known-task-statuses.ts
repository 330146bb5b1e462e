import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statuses feedback's copy of a task may take, now that a pending objection can hold a task
 * (暂停实施 `on-hold`: no feedback is taken and it is never overdue, having no due date meanwhile).
 */
export class KnownTaskStatuses1764300000222 implements MigrationInterface {
  name = 'KnownTaskStatuses1764300000222';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE known_tasks ADD CONSTRAINT known_tasks_status_check
      CHECK (status IN ('open', 'acknowledged', 'returned', 'revoked', 'on-hold'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE known_tasks DROP CONSTRAINT known_tasks_status_check`);
  }
}
