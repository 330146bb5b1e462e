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
        version int NOT NULL,
        list_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'watch', 'removed', 'expired')),
        subject_key text NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('legal', 'natural')),
        subject_name text NOT NULL,
        subject_uscc char(18),
        -- personal ID numbers: ciphertext (SM4 or AES-256-GCM, see docs/security.md) and masked form
        subject_id_number_encrypted text,
        subject_id_number_masked text,
        legal_rep_name text,
        legal_rep_id_number_encrypted text,
        legal_rep_id_number_masked text,
        reason text NOT NULL,
        decided_by text NOT NULL,
        document_no text NOT NULL,
        listed_at date NOT NULL,
        valid_until date,
        region char(6) NOT NULL,
        published_by text NOT NULL,
        removed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (list_type, subject_key, document_no)
      )`);
    await q.query(`CREATE INDEX list_entries_subject ON list_entries (subject_key)`);
    await q.query(`
      CREATE TABLE list_entry_history (
        entry_id uuid NOT NULL REFERENCES list_entries (id),
        version int NOT NULL,
        action text NOT NULL,
        reason text,
        at timestamptz NOT NULL,
        by_organization text NOT NULL,
        by_token text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entry_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['list_entry_history', 'list_entries', 'catalogue_state', 'known_organizations', 'known_list_types']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
