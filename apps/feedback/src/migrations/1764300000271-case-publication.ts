import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Publishing a case (案例公示) becomes the office's review step: a case is recorded as a `draft` and the
 * office publishes it, which stores the text as published (masked: `maskPersonalData`). Cases recorded
 * before are `published` when they were publishable (they were public already, masked as they are read),
 * `draft` otherwise, so no case changes who sees it. Feedback's copy of a task keeps the names of the
 * people its entry names (a natural-person subject, the legal representative): the published text masks
 * them. Still no ID number.
 */
export class CasePublication1764300000271 implements MigrationInterface {
  name = 'CasePublication1764300000271';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases
        ADD COLUMN status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
        ADD COLUMN published_at timestamptz,
        ADD COLUMN published_by text,
        ADD COLUMN published_by_token text,
        ADD COLUMN public_title text,
        ADD COLUMN public_description text,
        ADD COLUMN public_effect text`);
    await q.query(`UPDATE cases SET status = 'published', published_at = recorded_at WHERE publishable`);
    await q.query(
      `ALTER TABLE cases ADD CONSTRAINT cases_published_publishable CHECK (status = 'draft' OR publishable)`,
    );
    await q.query(`DROP INDEX cases_public`);
    await q.query(`CREATE INDEX cases_public ON cases (seq) WHERE status = 'published'`);
    await q.query(`ALTER TABLE known_tasks ADD COLUMN personal_names text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE known_tasks DROP COLUMN personal_names`);
    await q.query(`DROP INDEX cases_public`);
    await q.query(`CREATE INDEX cases_public ON cases (seq) WHERE publishable`);
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_published_publishable`);
    await q.query(`
      ALTER TABLE cases DROP COLUMN status, DROP COLUMN published_at, DROP COLUMN published_by,
        DROP COLUMN published_by_token, DROP COLUMN public_title, DROP COLUMN public_description, DROP COLUMN public_effect`);
  }
}
