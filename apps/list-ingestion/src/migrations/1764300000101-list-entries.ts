import { MigrationInterface, QueryRunner } from 'typeorm';

export class ListEntries1764300000101 implements MigrationInterface {
  name = 'ListEntries1764300000101';

  async up(q: QueryRunner): Promise<void> {
    // The catalogue as list-ingestion knows it, from jrp.catalogue.* events.
    await q.query(`
      CREATE TABLE known_list_types (
        code text PRIMARY KEY,
        name text NOT NULL,
        colour text NOT NULL,
        identifying_organization text NOT NULL,
        subject_kinds text[] NOT NULL,
        repairable boolean NOT NULL DEFAULT false,
        default_validity_days int,
        catalogue_version int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE known_organizations (
        code text PRIMARY KEY,
        name text NOT NULL,
        level text NOT NULL,
        region char(6) NOT NULL,
        roles text[] NOT NULL
      )`);
    await q.query(`CREATE TABLE catalogue_state (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)`);

    await q.query(`
      CREATE TABLE list_entries (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        version int NOT NULL,
        list_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'watch', 'removed', 'expired')),
        disputed boolean NOT NULL DEFAULT false,
        subject_key text NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('legal', 'natural')),
        subject_name text NOT NULL,
        subject_uscc char(18),
        subject_id_type text,
        -- personal ID numbers: ciphertext (SM4 or AES-256-GCM, see docs/security.md) and masked form
        subject_id_number_encrypted text,
        subject_id_number_masked text,
        legal_rep_name text,
        legal_rep_id_type text,
        legal_rep_id_number_encrypted text,
        legal_rep_id_number_masked text,
        reason text NOT NULL,
        decided_by text NOT NULL,
        identification_level text NOT NULL CHECK (identification_level IN ('national', 'provincial', 'city')),
        document_no text NOT NULL,
        listed_at date NOT NULL,
        valid_until date,
        amount numeric(18, 2),
        region char(6) NOT NULL,
        published_by text NOT NULL,
        commitment jsonb,
        training jsonb,
        status_changed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (list_type, subject_key, document_no)
      )`);
    await q.query(`CREATE INDEX list_entries_subject ON list_entries (subject_key)`);
    await q.query(
      `CREATE INDEX list_entries_publisher ON list_entries (list_type, published_by) WHERE status IN ('active', 'watch')`,
    );
    await q.query(`CREATE INDEX list_entries_expiry ON list_entries (valid_until) WHERE status IN ('active', 'watch')`);
    await q.query(`CREATE INDEX list_entries_public ON list_entries (seq) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE list_entry_history (
        entry_id uuid NOT NULL REFERENCES list_entries (id),
        version int NOT NULL,
        action text NOT NULL,
        status text NOT NULL,
        reason text,
        details jsonb,
        at timestamptz NOT NULL,
        by_organization text NOT NULL,
        by_token text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entry_id, version)
      )`);
    await q.query(`
      CREATE TABLE objections (
        id uuid PRIMARY KEY,
        entry_id uuid NOT NULL REFERENCES list_entries (id),
        statement text NOT NULL,
        contact text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'upheld', 'rejected')),
        filed_at timestamptz NOT NULL DEFAULT now(),
        filed_by text NOT NULL,
        deadline date NOT NULL,
        decided_at timestamptz,
        decided_by text,
        decision_reason text
      )`);
    await q.query(`CREATE UNIQUE INDEX objections_one_pending ON objections (entry_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX objections_queue ON objections (status, filed_at)`);
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        organization text NOT NULL,
        principal jsonb NOT NULL,
        request_id text NOT NULL,
        source_address text NOT NULL,
        original_name text NOT NULL,
        format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
        file_path text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('incremental', 'full')),
        list_type text,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
        total int NOT NULL DEFAULT 0,
        created int NOT NULL DEFAULT 0,
        updated int NOT NULL DEFAULT 0,
        unchanged int NOT NULL DEFAULT 0,
        rejected int NOT NULL DEFAULT 0,
        removed int NOT NULL DEFAULT 0,
        error text,
        received_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX imports_unfinished ON imports (received_at) WHERE status IN ('queued', 'running')`);
    await q.query(`
      CREATE TABLE import_errors (
        import_id uuid NOT NULL REFERENCES imports (id),
        row int NOT NULL,
        "values" jsonb NOT NULL,
        reasons text[] NOT NULL,
        PRIMARY KEY (import_id, row)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'import_errors',
      'imports',
      'objections',
      'list_entry_history',
      'list_entries',
      'catalogue_state',
      'known_organizations',
      'known_list_types',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
