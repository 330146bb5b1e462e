import { Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, rmSync, unlinkSync } from 'node:fs';
import { hasRole, Principal, RequestContext } from '@jrp/auth';
import { FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { PublishResult, PublishingService } from '../publishing/publishing.service';
import { ImportRequestDto } from './dto/import-request.dto';
import { detectFormat, errorRowsCsv, ImportFileError, ImportFormat, RawImportRow, readImportRows } from './parsing';
import { chineseError, ImportRowError, rowToEntry } from './row-to-entry';

const CHUNK = 500;

interface ImportJob {
  id: string;
  organization: string;
  principal: Principal;
  requestId: string;
  sourceAddress: string;
  format: ImportFormat;
  filePath: string;
  mode: 'incremental' | 'full';
  listType: string | null;
}

export const IMPORT_STATUS_LABELS: Record<string, string> = {
  queued: '排队中',
  running: '导入中',
  done: '已完成',
  failed: '失败',
};

/** An import job as `get` reads it. */
interface ImportJobRow {
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

/**
 * File imports as jobs: the upload is on disk before the job starts; rows are read as a stream and
 * published in chunks of 500, each row accepted or rejected on its own with its reasons in Chinese.
 * A job interrupted by a restart runs again from its file (publishing is idempotent per entry).
 */
@Injectable()
export class ImportsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Imports');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly publishing: PublishingService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const unfinished: { id: string; filePath: string }[] = await this.uow.dataSource.query(
      `SELECT id, file_path AS "filePath" FROM imports
       WHERE status = 'queued' OR (status = 'running' AND started_at < now() - interval '15 minutes') ORDER BY received_at`,
    );
    for (const job of unfinished) if (existsSync(job.filePath)) setImmediate(() => void this.run(job.id, true));
  }

  async accept(
    file: Express.Multer.File | undefined,
    dto: ImportRequestDto,
    principal: Principal,
  ): Promise<{ id: string; status: string }> {
    if (!file) throw new FieldValidationException([{ field: 'file', message: 'a CSV or XLSX file is required' }]);
    const extension = /\.([A-Za-z0-9]+)$/.exec(file.originalname)?.[1]?.toLowerCase();
    const format =
      extension && !['csv', 'xlsx', 'txt'].includes(extension)
        ? null
        : detectFormat(file.originalname, firstBytes(file.path));
    if (!format) {
      unlinkSync(file.path);
      throw new FieldValidationException([
        { field: 'file', message: 'is neither CSV nor XLSX (不是 CSV 或 XLSX 文件)' },
      ]);
    }
    try {
      await this.publishing.startPush(principal, { mode: dto.mode, listType: dto.listType }); // refuses an unknown or foreign full push now
    } catch (error) {
      unlinkSync(file.path);
      throw error;
    }
    const id = randomUUID();
    const context = RequestContext.current();
    const originalName = Buffer.from(file.originalname, 'latin1').toString('utf8');
    await this.uow.dataSource.query(
      `INSERT INTO imports (id, organization, principal, request_id, source_address, original_name, format, file_path, mode, list_type, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued')`,
      [
        id,
        principal.organization.code,
        JSON.stringify(principal),
        context?.requestId ?? '',
        context?.sourceAddress ?? '',
        originalName,
        format,
        file.path,
        dto.mode ?? 'incremental',
        dto.listType ?? null,
      ],
    );
    setImmediate(() => void this.run(id, false));
    return { id, status: 'queued' };
  }

  /** Runs a job this replica can claim; its audit records carry the upload's request. */
  async run(id: string, resumed: boolean): Promise<void> {
    const claimed: ImportJob[] = await this.uow.dataSource
      .query(
        `UPDATE imports SET status = 'running', started_at = now(), total = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, removed = 0
         WHERE id = $1 AND (status = 'queued' OR ($2 AND status = 'running'))
         RETURNING id, organization, principal, request_id AS "requestId", source_address AS "sourceAddress", format, file_path AS "filePath", mode, list_type AS "listType"`,
        [id, resumed],
      )
      .then(([rows]: [ImportJob[]]) => rows);
    const job = claimed[0];
    if (!job) return;
    await this.uow.dataSource.query(`DELETE FROM import_errors WHERE import_id = $1`, [id]);
    await RequestContext.run(
      { requestId: job.requestId, sourceAddress: job.sourceAddress, principal: job.principal },
      async () => {
        // once finished, the rows are in the database (accepted as entries, rejected as errors): the upload goes
        try {
          await this.process(job);
          rmSync(job.filePath, { force: true });
          await this.uow.dataSource.query(`UPDATE imports SET status = 'done', finished_at = now() WHERE id = $1`, [
            id,
          ]);
        } catch (error) {
          const message = error instanceof ImportFileError ? error.message : `导入失败：${(error as Error).message}`;
          if (!(error instanceof ImportFileError)) this.logger.error(`import ${id} failed: ${(error as Error).stack}`);
          rmSync(job.filePath, { force: true });
          await this.uow.dataSource.query(
            `UPDATE imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
            [id, message],
          );
        }
      },
    );
  }

  private async process(job: ImportJob): Promise<void> {
    const push = await this.publishing.startPush(job.principal, {
      mode: job.mode,
      listType: job.listType ?? undefined,
    });
    let rows: RawImportRow[] = [];
    const flush = async () => {
      const errors: { row: RawImportRow; errors: ImportRowError[] }[] = [];
      const valid: { index: number; raw: unknown }[] = [];
      for (const row of rows) {
        const mapped = rowToEntry(row);
        if ('errors' in mapped) errors.push({ row, errors: mapped.errors });
        else valid.push({ index: row.row, raw: mapped.entry });
      }
      const results: PublishResult[] = valid.length ? await this.publishing.pushChunk(push, valid) : [];
      const byRow = new Map(rows.map((r) => [r.row, r]));
      for (const r of results.filter((x) => x.status === 'rejected')) {
        errors.push({ row: byRow.get(r.index)!, errors: (r.errors ?? []).map((e) => chineseError(r.index, e)) });
      }
      await this.saveErrors(job.id, errors);
      const count = (s: string) => results.filter((r) => r.status === s).length;
      await this.uow.dataSource.query(
        `UPDATE imports SET total = total + $2, created = created + $3, updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6 WHERE id = $1`,
        [job.id, rows.length, count('created'), count('updated'), count('unchanged'), errors.length],
      );
      rows = [];
    };
    for await (const row of readImportRows(job.filePath, job.format)) {
      rows.push(row);
      if (rows.length === CHUNK) await flush();
    }
    if (rows.length) await flush();
    const removed = await this.publishing.finishPush(push);
    await this.uow.dataSource.query(`UPDATE imports SET removed = $2 WHERE id = $1`, [job.id, removed]);
  }

  private async saveErrors(importId: string, errors: { row: RawImportRow; errors: ImportRowError[] }[]): Promise<void> {
    if (errors.length === 0) return;
    const values: unknown[] = [];
    const rows = errors.map((e, i) => {
      values.push(
        importId,
        e.row.row,
        JSON.stringify(e.row.values),
        e.errors.map((x) => `${x.field}：${x.message}`),
      );
      return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`;
    });
    await this.uow.dataSource.query(
      `INSERT INTO import_errors (import_id, row, "values", reasons) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING`,
      values,
    );
  }

  /** A job, for the organisation that uploaded it or the office; others: 404. */
  async get(id: string, principal: Principal) {
    const [job] = await this.uow.dataSource.query<(ImportJobRow | undefined)[]>(
      `SELECT id, organization, original_name AS "fileName", format, mode, list_type AS "listType", status, total,
              created + updated + unchanged AS accepted, created, updated, unchanged, rejected, removed, error,
              received_at AS "receivedAt", started_at AS "startedAt", finished_at AS "finishedAt"
       FROM imports WHERE id = $1`,
      [id],
    );
    if (!job || (!hasRole(principal, 'office') && job.organization !== principal.organization.code))
      throw new NotFoundException('no such import');
    return { ...job, statusLabel: IMPORT_STATUS_LABELS[job.status] };
  }

  /** The rejected rows as CSV (UTF-8 with BOM, for Excel), with a reason column. */
  async errorsCsv(id: string, principal: Principal): Promise<Buffer> {
    await this.get(id, principal);
    const rows: { row: number; values: Record<string, string>; reasons: string[] }[] = await this.uow.dataSource.query(
      `SELECT row, "values", reasons FROM import_errors WHERE import_id = $1 ORDER BY row`,
      [id],
    );
    return errorRowsCsv(rows);
  }
}

function firstBytes(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(8);
    const n = readSync(fd, buffer, 0, 8, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
