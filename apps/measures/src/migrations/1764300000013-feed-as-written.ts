import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feed items keep the task as the text written (`json`, not `jsonb`), like the outbox: each is written
 * once and read whole (feed pages, streams, webhooks), never searched by field on a hot path, so
 * PostgreSQL need not build a binary form on the way in nor print it on the way out. `->`/`->>` still
 * work for inspection.
 */
export class FeedAsWritten1764300000013 implements MigrationInterface {
  name = 'FeedAsWritten1764300000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_changes ALTER COLUMN task TYPE json USING task::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_changes ALTER COLUMN task TYPE jsonb USING task::jsonb`);
  }
}
