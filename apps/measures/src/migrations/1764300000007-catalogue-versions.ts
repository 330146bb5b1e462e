import { MigrationInterface, QueryRunner } from 'typeorm';
import { catalogueDocument } from '../catalogue/versions/catalogue-document.repository';

/**
 * Catalogue versions: each published version keeps its whole document (immutable); one draft is
 * edited by the office (and by city offices for their cities' measures); publishing re-matches the
 * active entries in the background, resumably. Entry states keep what re-matching needs.
 */
export class CatalogueVersions1764300000007 implements MigrationInterface {
  name = 'CatalogueVersions1764300000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE catalogue_versions ADD COLUMN document jsonb, ADD COLUMN published_by text NOT NULL DEFAULT 'seed'`,
    );
    await q.query(`UPDATE catalogue_versions SET document = $1 WHERE version = 1`, [
      JSON.stringify(await catalogueDocument(q.manager)),
    ]);
    await q.query(`ALTER TABLE catalogue_versions ALTER COLUMN document SET NOT NULL`);
    await q.query(`
      CREATE FUNCTION catalogue_versions_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'published catalogue versions are immutable';
      END $$`);
    await q.query(
      `CREATE TRIGGER catalogue_versions_immutable BEFORE UPDATE OR DELETE ON catalogue_versions FOR EACH ROW EXECUTE FUNCTION catalogue_versions_are_immutable()`,
    );
    await q.query(`
      CREATE TABLE catalogue_draft (
        id int PRIMARY KEY CHECK (id = 1),
        base_version int NOT NULL,
        document jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await q.query(
      `INSERT INTO catalogue_draft (id, base_version, document, updated_by) SELECT 1, 1, document, 'seed' FROM catalogue_versions WHERE version = 1`,
    );
    await q.query(`
      CREATE TABLE rematch_jobs (
        version int PRIMARY KEY REFERENCES catalogue_versions (version),
        status text NOT NULL CHECK (status IN ('running', 'done')),
        after_entry uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
        total int NOT NULL,
        processed int NOT NULL DEFAULT 0,
        dispatched int NOT NULL DEFAULT 0,
        updated int NOT NULL DEFAULT 0,
        revoked int NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      ALTER TABLE entry_states
        ADD COLUMN subject jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN has_legal_representative boolean NOT NULL DEFAULT false,
        ADD COLUMN disputed boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX entry_states_active ON entry_states (entry_id) WHERE status = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX entry_states_active`);
    await q.query(
      `ALTER TABLE entry_states DROP COLUMN subject, DROP COLUMN has_legal_representative, DROP COLUMN disputed`,
    );
    await q.query(`DROP TABLE rematch_jobs`);
    await q.query(`DROP TABLE catalogue_draft`);
    await q.query(`DROP TRIGGER catalogue_versions_immutable ON catalogue_versions`);
    await q.query(`DROP FUNCTION catalogue_versions_are_immutable()`);
    await q.query(`ALTER TABLE catalogue_versions DROP COLUMN document, DROP COLUMN published_by`);
  }
}
