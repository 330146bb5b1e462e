import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feedback per measure item with versions (corrections) and cancellation; cases; the copies feedback
 * keeps of tasks, list entries and the catalogue; and the rollups the reports read (kept current in the
 * transaction of each change, see statistics/). No personal data: no names, no ID numbers.
 */
export class FeedbackVersionsStatistics1764300000202 implements MigrationInterface {
  name = 'FeedbackVersionsStatistics1764300000202';

  async up(q: QueryRunner): Promise<void> {
    // Tasks: what the definitions need (docs/reports.md).
    await q.query(`
      ALTER TABLE known_tasks
        ADD COLUMN list_type_name text NOT NULL DEFAULT '',
        ADD COLUMN city char(6),
        ADD COLUMN dispatched_on date,
        ADD COLUMN due_at timestamptz,
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN returned_at timestamptz,
        ADD COLUMN fed_back_at timestamptz`);
    await q.query(
      `UPDATE known_tasks SET city = left(region, 4) || '00', dispatched_on = (dispatched_at AT TIME ZONE 'Asia/Shanghai')::date`,
    );
    await q.query(`ALTER TABLE known_tasks ALTER COLUMN city SET NOT NULL, ALTER COLUMN dispatched_on SET NOT NULL`);
    // 督办: due tasks not fed back, by due date (the overdue report and the overdue counts read only these).
    // It carries every dimension a report groups or filters by, so the overdue counts are index-only scans.
    await q.query(`CREATE INDEX known_tasks_open ON known_tasks (due_at) INCLUDE (id, organization, list_type, city, dispatched_on)
      WHERE fed_back_at IS NULL AND (revoked_at IS NULL OR revoked_at >= due_at)`);

    // The current outcome of each measure item of a task, from the feedback that stands.
    await q.query(`
      CREATE TABLE task_items (
        task_id uuid NOT NULL REFERENCES known_tasks (id),
        measure_id text NOT NULL,
        memorandum text NOT NULL DEFAULT '',
        outcome text,
        final_at timestamptz,
        feedback_id uuid,
        PRIMARY KEY (task_id, measure_id)
      )`);
    // the items still without a final outcome, with their memorandum (overdue items by memorandum, index-only)
    await q.query(`CREATE INDEX task_items_open ON task_items (task_id) INCLUDE (memorandum) WHERE final_at IS NULL`);

    // Feedback: a record with versions; items per version; cancellation keeps the history.
    await q.query(`
      ALTER TABLE feedback
        ADD COLUMN updated_at timestamptz,
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancel_reason text`);
    await q.query(`UPDATE feedback SET updated_at = recorded_at`);
    await q.query(`ALTER TABLE feedback ALTER COLUMN updated_at SET NOT NULL`);
    await q.query(`
      CREATE TABLE feedback_versions (
        feedback_id uuid NOT NULL REFERENCES feedback (id),
        version int NOT NULL,
        kind text NOT NULL CHECK (kind IN ('recorded', 'corrected', 'cancelled')),
        reason text,
        recorded_at timestamptz NOT NULL,
        recorded_by_token text NOT NULL,
        PRIMARY KEY (feedback_id, version)
      )`);
    await q.query(
      `INSERT INTO feedback_versions SELECT id, 1, 'recorded', NULL, recorded_at, recorded_by_token FROM feedback`,
    );
    await q.query(
      `ALTER TABLE feedback_items DROP CONSTRAINT feedback_items_pkey, DROP CONSTRAINT feedback_items_outcome_check`,
    );
    await q.query(`
      ALTER TABLE feedback_items
        ADD COLUMN version int NOT NULL DEFAULT 1,
        ADD COLUMN business_type text,
        ADD COLUMN amount numeric(18, 2) CHECK (amount >= 0),
        ADD COLUMN final_since timestamptz,
        ADD CONSTRAINT feedback_items_outcome_check CHECK (outcome IN ('implemented', 'not-applicable', 'no-business', 'in-progress')),
        ADD PRIMARY KEY (feedback_id, version, measure_id)`);
    await q.query(`ALTER TABLE feedback_items ALTER COLUMN version DROP DEFAULT`);
    await q.query(`UPDATE feedback_items i SET final_since = f.recorded_at FROM feedback f WHERE f.id = i.feedback_id`);

    // Cases (联合奖惩案例).
    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        task_id uuid NOT NULL REFERENCES known_tasks (id),
        organization text NOT NULL,
        list_type text NOT NULL,
        measure_ids text[] NOT NULL,
        memoranda text[] NOT NULL,
        title text NOT NULL,
        occurred_on date NOT NULL,
        region char(6) NOT NULL,
        city char(6) NOT NULL,
        description text NOT NULL,
        effect text NOT NULL,
        publishable boolean NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by_token text NOT NULL
      )`);
    await q.query(`CREATE INDEX cases_organization ON cases (organization, seq)`);
    await q.query(`CREATE INDEX cases_public ON cases (seq) WHERE publishable`);

    // Copies of the catalogue (list types, organisations, memoranda, measures) and of list entries.
    await q.query(`CREATE TABLE known_list_types (code text PRIMARY KEY, name text NOT NULL, colour text NOT NULL)`);
    await q.query(
      `CREATE TABLE known_organizations (code text PRIMARY KEY, name text NOT NULL, level text NOT NULL, region char(6) NOT NULL)`,
    );
    await q.query(`CREATE TABLE known_memoranda (code text PRIMARY KEY, name text NOT NULL)`);
    await q.query(`CREATE TABLE known_measures (code text PRIMARY KEY, memorandum text NOT NULL)`);
    await q.query(`CREATE TABLE catalogue_state (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)`);
    await q.query(`
      CREATE TABLE known_entries (
        id uuid PRIMARY KEY,
        version int NOT NULL,
        list_type text NOT NULL,
        subject_kind text NOT NULL,
        national boolean NOT NULL,
        city char(6) NOT NULL,
        listed_on date NOT NULL,
        commitment boolean NOT NULL,
        training boolean NOT NULL
      )`);

    // Rollups: counters per day and dimension, changed by deltas in the transaction of each change.
    await q.query(`
      CREATE TABLE task_rollup (
        day date NOT NULL,
        organization text NOT NULL,
        list_type text NOT NULL,
        city char(6) NOT NULL,
        dispatched int NOT NULL DEFAULT 0,
        acknowledged int NOT NULL DEFAULT 0,
        due int NOT NULL DEFAULT 0,
        fed_back int NOT NULL DEFAULT 0,
        on_time int NOT NULL DEFAULT 0,
        items_final int NOT NULL DEFAULT 0,
        items_implemented int NOT NULL DEFAULT 0,
        PRIMARY KEY (day, organization, list_type, city)
      )`);
    await q.query(`
      CREATE TABLE item_rollup (
        day date NOT NULL,
        memorandum text NOT NULL,
        organization text NOT NULL,
        list_type text NOT NULL,
        city char(6) NOT NULL,
        dispatched int NOT NULL DEFAULT 0,
        acknowledged int NOT NULL DEFAULT 0,
        due int NOT NULL DEFAULT 0,
        fed_back int NOT NULL DEFAULT 0,
        on_time int NOT NULL DEFAULT 0,
        items_final int NOT NULL DEFAULT 0,
        items_implemented int NOT NULL DEFAULT 0,
        PRIMARY KEY (day, memorandum, organization, list_type, city)
      )`);
    await q.query(`
      CREATE TABLE case_rollup (
        day date NOT NULL,
        organization text NOT NULL,
        list_type text NOT NULL,
        city char(6) NOT NULL,
        cases int NOT NULL DEFAULT 0,
        PRIMARY KEY (day, organization, list_type, city)
      )`);
    // a case counts once under each memorandum its measures come from
    await q.query(`
      CREATE TABLE case_memorandum_rollup (
        day date NOT NULL,
        memorandum text NOT NULL,
        organization text NOT NULL,
        list_type text NOT NULL,
        city char(6) NOT NULL,
        cases int NOT NULL DEFAULT 0,
        PRIMARY KEY (day, memorandum, organization, list_type, city)
      )`);
    await q.query(`
      CREATE TABLE entry_rollup (
        day date NOT NULL,
        city char(6) NOT NULL,
        list_type text NOT NULL,
        subject_kind text NOT NULL,
        national boolean NOT NULL,
        entries int NOT NULL DEFAULT 0,
        committed int NOT NULL DEFAULT 0,
        trained int NOT NULL DEFAULT 0,
        PRIMARY KEY (day, city, list_type, subject_kind, national)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'entry_rollup',
      'case_memorandum_rollup',
      'case_rollup',
      'item_rollup',
      'task_rollup',
      'known_entries',
      'catalogue_state',
      'known_measures',
      'known_memoranda',
      'known_organizations',
      'known_list_types',
      'cases',
      'feedback_versions',
      'task_items',
    ])
      await q.query(`DROP TABLE ${t}`);
    await q.query(`DELETE FROM feedback_items WHERE version > 1`);
    await q.query(
      `ALTER TABLE feedback_items DROP CONSTRAINT feedback_items_pkey, DROP CONSTRAINT feedback_items_outcome_check`,
    );
    await q.query(`DELETE FROM feedback_items WHERE outcome NOT IN ('implemented', 'not-applicable')`);
    await q.query(`ALTER TABLE feedback_items DROP COLUMN version, DROP COLUMN business_type, DROP COLUMN amount, DROP COLUMN final_since,
      ADD CONSTRAINT feedback_items_outcome_check CHECK (outcome IN ('implemented', 'not-applicable')), ADD PRIMARY KEY (feedback_id, measure_id)`);
    await q.query(`ALTER TABLE feedback DROP COLUMN updated_at, DROP COLUMN cancelled_at, DROP COLUMN cancel_reason`);
    await q.query(`DROP INDEX known_tasks_open`);
    await q.query(`ALTER TABLE known_tasks DROP COLUMN list_type_name, DROP COLUMN city, DROP COLUMN dispatched_on, DROP COLUMN due_at,
      DROP COLUMN acknowledged_at, DROP COLUMN returned_at, DROP COLUMN fed_back_at`);
  }
}
