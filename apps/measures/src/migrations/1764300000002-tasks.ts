import { MigrationInterface, QueryRunner } from 'typeorm';

export class Tasks1764300000002 implements MigrationInterface {
  name = 'Tasks1764300000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tokens (
        id uuid PRIMARY KEY,
        organization_code text NOT NULL,
        digest char(64) NOT NULL UNIQUE,
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX tokens_organization ON tokens (organization_code)`);
    await q.query(`
      CREATE TABLE entry_states (
        entry_id uuid PRIMARY KEY,
        version int NOT NULL,
        status text NOT NULL,
        list_type text NOT NULL,
        subject_key text NOT NULL,
        region char(6) NOT NULL,
        listed_at date NOT NULL,
        valid_until date,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX entry_states_subject ON entry_states (subject_key)`);
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        entry_id uuid NOT NULL,
        entry_version int NOT NULL,
        organization text NOT NULL,
        list_type text NOT NULL,
        region char(6) NOT NULL,
        subject jsonb NOT NULL,
        measures jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'revoked')),
        entry_disputed boolean NOT NULL DEFAULT false,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (entry_id, organization)
      )`);
    await q.query(`CREATE INDEX tasks_organization ON tasks (organization, status)`);
    await q.query(`
      CREATE TABLE task_changes (
        seq bigserial PRIMARY KEY,
        task_id uuid NOT NULL,
        organization text NOT NULL,
        type text NOT NULL CHECK (type IN ('dispatched', 'updated', 'revoked')),
        task_version int NOT NULL,
        task jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (task_id, task_version)
      )`);
    await q.query(`CREATE INDEX task_changes_feed ON task_changes (organization, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['task_changes', 'tasks', 'entry_states', 'tokens']) await q.query(`DROP TABLE ${t}`);
  }
}
