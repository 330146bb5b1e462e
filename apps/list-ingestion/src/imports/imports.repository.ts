import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '@jrp/auth';
import { DatabaseRepository, Table } from '@jrp/database';
import { FullPushSafety } from '../publishing/removal-limit';
import { ImportFormat } from './parsing';

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

/** An import job as it is queued and claimed; its counts and times are kept apart (`ImportJobRow`). */
export interface ImportJob {
  id: string;
  organization: string;
  /** Who uploaded it: the job publishes as them. */
  principal: Principal;
  requestId: string;
  sourceAddress: string;
  originalName: string;
  format: ImportFormat;
  filePath: string;
  mode: 'incremental' | 'full';
  listType: string | null;
  status: ImportStatus;
  /** The upload's size, counted against its organisation's quota while the job is queued or running. */
  fileBytes: number;
  /** The id of the upload folder holding the file (see `uploadFolderId`); null for jobs stored before it was kept. */
  folder: string | null;
  /** A dry run, the removal limit and its confirmation; `{}` for an ordinary import. */
  pushOptions: FullPushSafety;
}

/** `imports`: one row per uploaded file (its counts, error and times have defaults and are set as it runs). */
export const imports = new Table<ImportJob>('imports', {
  id: 'id',
  organization: 'organization',
  principal: { column: 'principal', cast: 'jsonb' },
  requestId: 'request_id',
  sourceAddress: 'source_address',
  originalName: 'original_name',
  format: 'format',
  filePath: 'file_path',
  mode: 'mode',
  listType: 'list_type',
  status: 'status',
  fileBytes: { column: 'file_bytes', read: '$::float8' },
  folder: 'folder',
  pushOptions: { column: 'push_options', cast: 'jsonb' },
});

/** A running job that has made no progress (a chunk stored) for this long is taken as abandoned: its replica is gone. */
const ABANDONED = `interval '15 minutes'`;
/** Jobs that may be claimed: queued, or running but abandoned. */
const CLAIMABLE = `(status = 'queued' OR (status = 'running' AND progress_at < now() - ${ABANDONED}))`;
/** How many jobs of organisation `$org` run now (abandoned ones left out). */
const RUNNING_OF = (org: string) =>
  `(SELECT count(*) FROM imports r WHERE r.organization = ${org} AND r.status = 'running' AND r.progress_at >= now() - ${ABANDONED})`;

/**
 * One rejected row of an import, with its values as read but identity numbers masked
 * (`maskRejectedValues`), and its reasons in Chinese. Kept JRP_IMPORT_ERRORS_RETENTION_DAYS days after
 * its import finished.
 */
export interface ImportErrorRow {
  importId: string;
  row: number;
  values: Record<string, string>;
  reasons: string[];
}

export const importErrors = new Table<ImportErrorRow>('import_errors', {
  importId: 'import_id',
  row: 'row',
  values: { column: '"values"', cast: 'jsonb' },
  reasons: 'reasons',
});

/** An import job as `GET /lists/imports/:id` shows it. */
export interface ImportJobRow {
  id: string;
  organization: string;
  fileName: string;
  format: string;
  mode: string;
  listType: string;
  status: string;
  total: number;
  accepted: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  removed: number;
  dryRun: boolean;
  error: string | null;
  receivedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** How many rows of a chunk an import counted, by outcome. */
export interface ImportCounts {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * Import jobs and their rejected rows. Each statement commits alone (a job's progress is visible as it runs),
 * but for the queue's decisions: `lockOrganization`, then the quota check and insert, or the claim, in one transaction.
 */
@Injectable()
export class ImportsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Holds the queue of one organisation until the transaction ends: its quota check and insert, or its
   * claim, run one at a time across replicas (each statement after this one sees what the others committed).
   */
  async lockOrganization(organization: string): Promise<void> {
    await this.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`jrp.imports:${organization}`]);
  }

  /** Bytes of the organisation's upload files waiting or being read (its jobs queued or running). */
  async pendingBytes(organization: string): Promise<number> {
    const [{ bytes }] = await this.query<{ bytes: number }[]>(
      `SELECT coalesce(sum(file_bytes), 0)::float8 AS bytes FROM imports WHERE organization = $1 AND status IN ('queued', 'running')`,
      [organization],
    );
    return bytes;
  }

  async insert(job: ImportJob): Promise<void> {
    await this.insertRows(imports, [job]);
  }

  /**
   * The oldest claimable job of each organisation with a free slot (fewer than `perOrganization` running),
   * among the jobs of upload folder `folder`, oldest first: the candidates of one round of claims.
   */
  claimable(folder: string, perOrganization: number, limit: number): Promise<Pick<ImportJob, 'id' | 'organization'>[]> {
    return this.query<Pick<ImportJob, 'id' | 'organization'>[]>(
      `SELECT id, organization FROM (
         SELECT DISTINCT ON (organization) id, organization, received_at FROM imports q
         WHERE ${CLAIMABLE} AND (folder = $1 OR folder IS NULL) AND ${RUNNING_OF('q.organization')} < $2
         ORDER BY organization, received_at) oldest
       ORDER BY received_at LIMIT $3`,
      [folder, perOrganization, limit],
    );
  }

  /**
   * Marks a job running (counts reset) when it is claimable and its organisation runs fewer than
   * `perOrganization` jobs; the job, or nothing (taken, finished, or no free slot). Call it in a
   * transaction after {@link lockOrganization}, so that two replicas never fill the same slot.
   */
  async claim(id: string, organization: string, perOrganization: number): Promise<ImportJob | undefined> {
    // an UPDATE … RETURNING answers [rows, affected count]
    const [rows] = await this.query<[ImportJob[], number]>(
      `UPDATE imports SET status = 'running', started_at = now(), progress_at = now(),
              total = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, removed = 0
       WHERE id = $1 AND organization = $2 AND ${CLAIMABLE} AND ${RUNNING_OF('$2')} < $3
       RETURNING ${imports.selectList()}`,
      [id, organization, perOrganization],
    );
    return rows[0];
  }

  /** The claimable jobs of upload folder `folder` (or of none), whatever their organisation's slots, oldest first. */
  waiting(folder: string): Promise<Pick<ImportJob, 'id' | 'filePath'>[]> {
    return this.query<Pick<ImportJob, 'id' | 'filePath'>[]>(
      `SELECT id, file_path AS "filePath" FROM imports WHERE ${CLAIMABLE} AND (folder = $1 OR folder IS NULL) ORDER BY received_at`,
      [folder],
    );
  }

  /** Fails a job that is still claimable (not taken or finished meanwhile); whether it did. */
  async failWaiting(id: string, error: string): Promise<boolean> {
    const [, affected] = await this.query<[unknown[], number]>(
      `UPDATE imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND ${CLAIMABLE}`,
      [id, error],
    );
    return affected > 0;
  }

  /** Puts a running job back in the queue (its replica is stopping): the next claim reads its file again. */
  async requeue(id: string): Promise<void> {
    await this.query(`UPDATE imports SET status = 'queued' WHERE id = $1 AND status = 'running'`, [id]);
  }

  async deleteErrors(id: string): Promise<void> {
    await this.query(`DELETE FROM import_errors WHERE import_id = $1`, [id]);
  }

  async markDone(id: string): Promise<void> {
    await this.query(`UPDATE imports SET status = 'done', finished_at = now() WHERE id = $1`, [id]);
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.query(`UPDATE imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
      id,
      error,
    ]);
  }

  async addCounts(id: string, c: ImportCounts): Promise<void> {
    await this.query(
      `UPDATE imports SET total = total + $2, created = created + $3, updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6,
              progress_at = now() WHERE id = $1`,
      [id, c.total, c.created, c.updated, c.unchanged, c.rejected],
    );
  }

  async setRemoved(id: string, removed: number): Promise<void> {
    await this.query(`UPDATE imports SET removed = $2 WHERE id = $1`, [id, removed]);
  }

  /** Saves rejected rows; a row saved already (a resumed job) stays as it is. */
  async insertErrors(rows: ImportErrorRow[]): Promise<void> {
    await this.insertRows(importErrors, rows, { onConflict: 'DO NOTHING' });
  }

  /** A job, when uploaded by `organization` (null: by anyone). */
  async find(id: string, organization: string | null): Promise<ImportJobRow | undefined> {
    const [job] = await this.query<ImportJobRow[]>(
      `SELECT id, organization, original_name AS "fileName", format, mode, list_type AS "listType", status, total,
              created + updated + unchanged AS accepted, created, updated, unchanged, rejected, removed,
              coalesce((push_options->>'dryRun')::boolean, false) AS "dryRun", error,
              received_at AS "receivedAt", started_at AS "startedAt", finished_at AS "finishedAt"
       FROM imports WHERE id = $1 AND ($2::text IS NULL OR organization = $2)`,
      [id, organization],
    );
    return job;
  }

  /**
   * Deletes up to `limit` rejected rows of imports that finished more than `days` days ago; answers how
   * many it deleted (0: none left).
   */
  async purgeErrors(days: number, limit: number): Promise<number> {
    const [, deleted] = await this.query<[unknown[], number]>(
      `DELETE FROM import_errors WHERE (import_id, row) IN (
         SELECT e.import_id, e.row FROM imports i JOIN import_errors e ON e.import_id = i.id
         WHERE i.finished_at < now() - make_interval(days => $1) LIMIT $2)`,
      [days, limit],
    );
    return deleted;
  }

  errors(id: string): Promise<Pick<ImportErrorRow, 'row' | 'values' | 'reasons'>[]> {
    return this.query<Pick<ImportErrorRow, 'row' | 'values' | 'reasons'>[]>(
      `SELECT row, "values", reasons FROM import_errors WHERE import_id = $1 ORDER BY row`,
      [id],
    );
  }
}
