import { MigrationInterface, QueryRunner } from 'typeorm';

export class Feedback1764300000201 implements MigrationInterface {
  name = 'Feedback1764300000201';

  async up(q: QueryRunner): Promise<void> {
    // Tasks as feedback knows them, from jrp.task.* events.
    await q.query(`
      CREATE TABLE known_tasks (
        id uuid PRIMARY KEY,
        version int NOT NULL,
        entry_id uuid NOT NULL,
        organization text NOT NULL,
        organization_name text NOT NULL,
        list_type text NOT NULL,
        region char(6) NOT NULL,
        measure_ids text[] NOT NULL,
        status text NOT NULL,
        dispatched_at timestamptz NOT NULL,
        revoked_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX known_tasks_organization ON known_tasks (organization)`);
    await q.query(`
      CREATE TABLE feedback (
        id uuid PRIMARY KEY,
        version int NOT NULL,
        task_id uuid NOT NULL REFERENCES known_tasks (id),
        organization text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        recorded_by_token text NOT NULL
      )`);
    await q.query(`CREATE INDEX feedback_task ON feedback (task_id)`);
    await q.query(`
      CREATE TABLE feedback_items (
        feedback_id uuid NOT NULL REFERENCES feedback (id),
        measure_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('implemented', 'not-applicable')),
        implemented_at date,
        explanation text,
        PRIMARY KEY (feedback_id, measure_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['feedback_items', 'feedback', 'known_tasks']) await q.query(`DROP TABLE ${t}`);
  }
}
