import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counter checks (嵌入式联合奖惩): every check a department's business system makes, the subject named
 * by its keyed hash only (never the identifier), and the links of a business (its reference) to the
 * caller's tasks, at most one per task and reference.
 */
export class Checks1764300000009 implements MigrationInterface {
  name = 'Checks1764300000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE checks (
        id uuid PRIMARY KEY,
        organization text NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('legal', 'natural')),
        id_type text,
        subject_key text NOT NULL,
        business_type text NOT NULL,
        reference text NOT NULL,
        listed boolean NOT NULL,
        entry_ids uuid[] NOT NULL,
        task_ids uuid[] NOT NULL,
        checked_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX checks_organization ON checks (organization, checked_at)`);
    await q.query(`CREATE INDEX checks_subject ON checks (subject_key)`);
    // the check that first linked a business to a task; later checks of the same business find it here
    await q.query(`
      CREATE TABLE check_links (
        task_id uuid NOT NULL,
        reference text NOT NULL,
        check_id uuid NOT NULL REFERENCES checks (id) DEFERRABLE INITIALLY DEFERRED,
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (task_id, reference)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE check_links`);
    await q.query(`DROP TABLE checks`);
  }
}
