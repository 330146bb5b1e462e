import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Receipt, return and reassignment of tasks, counter-check links, and feedback mirrored from the
 * feedback service. Every task change now also wakes the feed's long polls and streams (NOTIFY).
 */
export class TaskLifecycle1764300000008 implements MigrationInterface {
  name = 'TaskLifecycle1764300000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`);
    await q.query(
      `ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('open', 'acknowledged', 'returned', 'revoked'))`,
    );
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN returned_at timestamptz,
        ADD COLUMN return_reason text,
        ADD COLUMN feedback jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN fed_back_at timestamptz,
        ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
    await q.query(`CREATE INDEX tasks_organization_seq ON tasks (organization, seq)`);
    await q.query(`CREATE INDEX tasks_returned ON tasks (seq) WHERE status = 'returned'`);
    // Feedback as the feedback service records it (its events), and per task the latest outcome per measure.
    await q.query(`
      CREATE TABLE task_feedback (
        feedback_id uuid PRIMARY KEY,
        version int NOT NULL,
        task_id uuid NOT NULL,
        items jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        cancelled boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX task_feedback_task ON task_feedback (task_id)`);
    // 已反馈: every measure of the task has a final outcome (anything but in-progress); when the last one came.
    await q.query(`
      CREATE FUNCTION task_fed_back_at(measures jsonb, feedback jsonb) RETURNS timestamptz LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN count(*) > 0 AND bool_and(coalesce(feedback -> (m ->> 'id') ->> 'outcome', 'in-progress') <> 'in-progress')
                    THEN max((feedback -> (m ->> 'id') ->> 'recordedAt')::timestamptz) END
        FROM jsonb_array_elements(measures) m
      $$`);
    await q.query(`ALTER TABLE task_changes DROP CONSTRAINT task_changes_type_check`);
    await q.query(`ALTER TABLE task_changes ADD CONSTRAINT task_changes_type_check
      CHECK (type IN ('dispatched', 'updated', 'revoked', 'acknowledged', 'returned', 'checked'))`);
    // The office's answer to a return (改派): this entry's measure goes to another organisation from now on.
    await q.query(`
      CREATE TABLE task_reassignments (
        entry_id uuid NOT NULL,
        measure_id text NOT NULL,
        from_organization text NOT NULL,
        to_organization text NOT NULL,
        reason text,
        reassigned_by text NOT NULL,
        reassigned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entry_id, measure_id, from_organization)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE task_reassignments`);
    await q.query(`DROP FUNCTION task_fed_back_at(jsonb, jsonb)`);
    await q.query(`DROP TABLE task_feedback`);
    await q.query(`ALTER TABLE task_changes DROP CONSTRAINT task_changes_type_check`);
    await q.query(
      `ALTER TABLE task_changes ADD CONSTRAINT task_changes_type_check CHECK (type IN ('dispatched', 'updated', 'revoked'))`,
    );
    await q.query(`DROP INDEX tasks_organization_seq`);
    await q.query(`DROP INDEX tasks_returned`);
    await q.query(`ALTER TABLE tasks DROP COLUMN acknowledged_at, DROP COLUMN returned_at, DROP COLUMN return_reason, DROP COLUMN feedback,
      DROP COLUMN fed_back_at, DROP COLUMN seq`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`);
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('open', 'revoked'))`);
  }
}
