import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The feed is the single record of a task change: the relay sends the task events from `task_changes`
 * by cursor (`relay_cursors`), no longer from a copy in the outbox. A feed row keeps what its event's
 * envelope needs besides the task it already holds: the message key (the entry id, as the event carried
 * it), the change's time and the correlation id. Rows written before this migration have none of them:
 * their events are in the outbox, which the relay drains first, and the cursor starts after them (taken
 * under the feed's lock, so no row below it is still to commit). A row without a key — written by a
 * replica of the previous release during a rolling upgrade, which put its event in the outbox too — is
 * passed over by the cursor.
 */
export class TaskEventsFromFeed1764300000311 implements MigrationInterface {
  name = 'TaskEventsFromFeed1764300000311';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE task_changes ADD COLUMN event_key text, ADD COLUMN changed_at timestamptz, ADD COLUMN correlation_id text`,
    );
    await q.query(`CREATE TABLE relay_cursors (feed text PRIMARY KEY, seq bigint NOT NULL)`);
    await q.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.task-feed'))`);
    await q.query(
      `INSERT INTO relay_cursors (feed, seq) SELECT 'task_changes', coalesce(max(seq), 0) FROM task_changes`,
    );
  }

  /** Back to events in the outbox: feed rows after the cursor (unsent) are not moved there. Stop writes and drain first. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE relay_cursors`);
    await q.query(`ALTER TABLE task_changes DROP COLUMN event_key, DROP COLUMN changed_at, DROP COLUMN correlation_id`);
  }
}
