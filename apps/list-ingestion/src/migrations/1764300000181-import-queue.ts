import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import jobs queue per organisation (JRP_IMPORTS_PER_ORGANIZATION running at once, a quota of upload
 * bytes): each job keeps its file's size, the upload folder it was stored in (the replicas sharing a
 * folder share its id; a job is run, or failed for a missing file, only by a replica of its folder) and
 * when it last made progress (a running job silent for 15 minutes is taken as abandoned). Jobs stored
 * before have no folder: any replica may take them.
 */
export class ImportQueue1764300000181 implements MigrationInterface {
  name = 'ImportQueue1764300000181';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE imports ADD COLUMN file_bytes bigint NOT NULL DEFAULT 0, ADD COLUMN folder text, ADD COLUMN progress_at timestamptz`,
    );
    await q.query(`UPDATE imports SET progress_at = started_at WHERE status = 'running'`);
    await q.query(
      `CREATE INDEX imports_unfinished_by_organization ON imports (organization, received_at) WHERE status IN ('queued', 'running')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX imports_unfinished_by_organization`);
    await q.query(`ALTER TABLE imports DROP COLUMN progress_at, DROP COLUMN folder, DROP COLUMN file_bytes`);
  }
}
