import { MigrationInterface, QueryRunner } from 'typeorm';

/** Token usage, and the audit trail: append-only, enforced by the database itself. */
export class Security1764300000004 implements MigrationInterface {
  name = 'Security1764300000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tokens ADD COLUMN last_used_at timestamptz`);
    await q.query(`
      CREATE TABLE audit_trail (
        seq bigserial PRIMARY KEY,
        record_id uuid NOT NULL UNIQUE,
        service text NOT NULL,
        action text NOT NULL,
        object_type text NOT NULL,
        object_id text NOT NULL,
        organization text NOT NULL,
        token_id text NOT NULL,
        token_label text,
        request_id text NOT NULL,
        source_address text NOT NULL,
        at timestamptz NOT NULL,
        outcome text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_trail_organization ON audit_trail (organization, seq)`);
    await q.query(`CREATE INDEX audit_trail_object ON audit_trail (object_type, object_id, seq)`);
    await q.query(`CREATE INDEX audit_trail_at ON audit_trail (at)`);
    await q.query(`
      CREATE FUNCTION audit_trail_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP;
      END $$`);
    await q.query(
      `CREATE TRIGGER audit_trail_no_update BEFORE UPDATE OR DELETE ON audit_trail FOR EACH ROW EXECUTE FUNCTION audit_trail_is_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_is_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_trail`);
    await q.query(`DROP FUNCTION audit_trail_is_append_only()`);
    await q.query(`ALTER TABLE tokens DROP COLUMN last_used_at`);
  }
}
