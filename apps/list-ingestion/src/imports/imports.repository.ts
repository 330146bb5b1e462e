import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '@jrp/auth';
import { DatabaseRepository, Table } from '@jrp/database';
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
});

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

/** Import jobs and their rejected rows. Each statement commits alone: a job's progress is visible as it runs. */
@Injectable()
export class ImportsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  /** Jobs queued, or running for 15 minutes (their replica is likely gone), oldest first. */
  unfinished(): Promise<Pick<ImportJob, 'id' | 'filePath'>[]> {
    return this.query<Pick<ImportJob, 'id' | 'filePath'>[]>(
      `SELECT id, file_path AS "filePath" FROM imports
       WHERE status = 'queued' OR (status = 'running' AND started_at < now() - interval '15 minutes') ORDER BY received_at`,
    );
  }

  async insert(job: ImportJob): Promise<void> {
    await this.insertRows(imports, [job]);
  }

  /** Marks a job running (counts reset) when it is queued, or running and `resumed`; the job, or nothing when taken. */
  async claim(id: string, resumed: boolean): Promise<ImportJob | undefined> {
    // an UPDATE … RETURNING answers [rows, affected count]
    const [rows] = await this.query<[ImportJob[], number]>(
      `UPDATE imports SET status = 'running', started_at = now(), total = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, removed = 0
       WHERE id = $1 AND (status = 'queued' OR ($2 AND status = 'running'))
       RETURNING ${imports.selectList()}`,
      [id, resumed],
    );
    return rows[0];
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
      `UPDATE imports SET total = total + $2, created = created + $3, updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6 WHERE id = $1`,
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

  async find(id: string): Promise<ImportJobRow | undefined> {
    const [job] = await this.query<ImportJobRow[]>(
      `SELECT id, organization, original_name AS "fileName", format, mode, list_type AS "listType", status, total,
              created + updated + unchanged AS accepted, created, updated, unchanged, rejected, removed, error,
              received_at AS "receivedAt", started_at AS "startedAt", finished_at AS "finishedAt"
       FROM imports WHERE id = $1`,
      [id],
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
