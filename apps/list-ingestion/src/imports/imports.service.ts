import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, unlinkSync } from 'node:fs';
import { entryScopeOf, hasRole, Principal, RequestContext } from '@jrp/auth';
import { AuditRecorder } from '@jrp/audit';
import { redactIdNumbers } from '@jrp/crypto';
import { FieldValidationException, safeText } from '@jrp/http';
import { pipelined } from '../publishing/pipeline';
import { PublishResult, PublishingService, PushOptions, RemovalLimitExceeded } from '../publishing/publishing.service';
import { ImportRequestDto } from './dto/import-request.dto';
import { ImportInterrupted, ImportQueue } from './import-queue';
import { ImportJob, ImportsRepository } from './imports.repository';
import { detectFormat, errorRowsCsv, ImportFileError, RawImportRow, readImportRows } from './parsing';
import { maskRejectedValues } from './rejected-row';
import { chineseError, ImportRowError, rowToEntry } from './row-to-entry';

const CHUNK = 500;

export const IMPORT_STATUS_LABELS: Record<string, string> = {
  queued: '排队中',
  running: '导入中',
  done: '已完成',
  failed: '失败',
};

/**
 * File imports as jobs: the upload is on disk before the job is queued ({@link ImportQueue}: so many
 * running per organisation, a quota of upload bytes); rows are read as a stream and published in chunks
 * of 500, each row accepted or rejected on its own with its reasons in Chinese. A job interrupted by a
 * restart runs again from its file (publishing is idempotent per entry).
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger('Imports');

  constructor(
    private readonly imports: ImportsRepository,
    private readonly publishing: PublishingService,
    private readonly queue: ImportQueue,
    private readonly audit: AuditRecorder,
  ) {
    queue.register((job) => this.run(job));
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
    // a file named after a person may carry an ID number: kept masked, as everywhere
    const originalName = safeText(redactIdNumbers(Buffer.from(file.originalname, 'latin1').toString('utf8')));
    const job: Omit<ImportJob, 'folder' | 'status'> = {
      id,
      organization: principal.organization.code,
      principal,
      requestId: context?.requestId ?? '',
      sourceAddress: context?.sourceAddress ?? '',
      originalName,
      format,
      filePath: file.path,
      mode: dto.mode ?? 'incremental',
      listType: dto.listType ?? null,
      fileBytes: file.size,
      pushOptions: {
        ...(dto.dryRun !== undefined ? { dryRun: dto.dryRun } : {}),
        ...(dto.maxRemovals !== undefined ? { maxRemovals: dto.maxRemovals } : {}),
        ...(dto.maxRemovalShare !== undefined ? { maxRemovalShare: dto.maxRemovalShare } : {}),
        ...(dto.confirmRemovals !== undefined ? { confirmRemovals: dto.confirmRemovals } : {}),
      },
    };
    try {
      await this.queue.enqueue(job); // refused beyond the organisation's quota: nothing stored, the upload goes
    } catch (error) {
      unlinkSync(file.path);
      throw error;
    }
    return { id, status: 'queued' };
  }

  /** Runs a job the queue claimed; its audit records carry the upload's request. */
  async run(job: ImportJob): Promise<void> {
    const id = job.id;
    await this.imports.deleteErrors(id);
    await RequestContext.run(
      { requestId: job.requestId, sourceAddress: job.sourceAddress, principal: job.principal },
      async () => {
        // once finished, the rows are in the database (accepted as entries, rejected as errors): the upload goes
        try {
          await this.process(job);
          rmSync(job.filePath, { force: true });
          await this.imports.markDone(id);
        } catch (error) {
          // stopping: back to the queue, the file kept for the next claim (a failure now may be the shutdown's)
          if (error instanceof ImportInterrupted || this.queue.stopping) return this.imports.requeue(id);
          const message =
            error instanceof ImportFileError
              ? error.message
              : error instanceof RemovalLimitExceeded
                ? `导入未执行：${error.detail}`
                : `导入失败：${(error as Error).message}`;
          if (!(error instanceof ImportFileError) && !(error instanceof RemovalLimitExceeded))
            this.logger.error(`import ${id} failed: ${(error as Error).stack}`);
          rmSync(job.filePath, { force: true });
          await this.imports.markFailed(id, safeText(redactIdNumbers(message)));
        }
      },
    );
  }

  private async process(job: ImportJob): Promise<void> {
    const options: PushOptions = { mode: job.mode, listType: job.listType ?? undefined, ...(job.pushOptions ?? {}) };
    if (job.mode === 'full' && !options.dryRun) {
      // a full import is read once as a dry run first: over its removal limit it changes nothing (409's reason)
      const preview = await this.publishing.startPush(job.principal, { ...options, dryRun: true });
      await pipelined(
        chunksOf(readImportRows(job.filePath, job.format)),
        (rows) => this.publishing.prepareChunk(preview, mapRows(rows).valid),
        async (prepared) => {
          await this.publishing.storeChunk(preview, prepared);
          if (this.queue.stopping) throw new ImportInterrupted();
        },
      );
      const { refused } = await this.publishing.finishPush(preview, { ...options, dryRun: true });
      if (refused) throw refused;
    }
    const push = await this.publishing.startPush(job.principal, options);
    // each chunk of rows is read, validated and prepared while the one before is stored
    await pipelined(
      chunksOf(readImportRows(job.filePath, job.format)),
      async (rows) => {
        const { errors, valid } = mapRows(rows);
        return { errors, prepared: await this.publishing.prepareChunk(push, valid) };
      },
      async ({ errors, prepared }, rows) => {
        const results: PublishResult[] = await this.publishing.storeChunk(push, prepared);
        const byRow = new Map(rows.map((r) => [r.row, r]));
        for (const r of results.filter((x) => x.status === 'rejected')) {
          errors.push({ row: byRow.get(r.index)!, errors: (r.errors ?? []).map((e) => chineseError(r.index, e)) });
        }
        await this.saveErrors(job.id, errors);
        const count = (s: string) => results.filter((r) => r.status === s).length;
        await this.imports.addCounts(job.id, {
          total: rows.length,
          created: count('created'),
          updated: count('updated'),
          unchanged: count('unchanged'),
          rejected: errors.length,
        });
        if (this.queue.stopping) throw new ImportInterrupted();
      },
    );
    const { removed } = await this.publishing.finishPush(push, job.mode === 'full' ? options : undefined);
    await this.imports.setRemoved(job.id, removed);
  }

  /** Keeps the rejected rows for the errors CSV: every cell, identity numbers masked (never in clear at rest). */
  private async saveErrors(importId: string, errors: { row: RawImportRow; errors: ImportRowError[] }[]): Promise<void> {
    await this.imports.insertErrors(
      errors.map((e) => ({
        importId,
        row: e.row.row,
        values: maskRejectedValues(e.row.values),
        reasons: e.errors.map((x) => safeText(redactIdNumbers(`${x.field}：${x.message}`))),
      })),
    );
  }

  /** A job, for the organisation that uploaded it or the provincial office; others (a city office too): 404. */
  async get(id: string, principal: Principal) {
    const everyone = hasRole(principal, 'office') && entryScopeOf(principal).city === undefined;
    const job = await this.imports.find(id, everyone ? null : principal.organization.code);
    if (!job) throw new NotFoundException('no such import');
    return { ...job, statusLabel: IMPORT_STATUS_LABELS[job.status] };
  }

  /**
   * The rejected rows as CSV (UTF-8 with BOM, for Excel), with a reason column; identity numbers come
   * masked as they were stored. A read of personal data: audited (`import.errors.read`, the import).
   */
  async errorsCsv(id: string, principal: Principal): Promise<Buffer> {
    await this.get(id, principal);
    const csv = errorRowsCsv(await this.imports.errors(id));
    await this.audit.recordRead({ action: 'import.errors.read', objectType: 'import', objectId: id });
    return csv;
  }
}

/** The rows of a file in chunks of {@link CHUNK}. */
async function* chunksOf(rows: AsyncIterable<RawImportRow>): AsyncGenerator<RawImportRow[]> {
  let chunk: RawImportRow[] = [];
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length < CHUNK) continue;
    yield chunk;
    chunk = [];
  }
  if (chunk.length) yield chunk;
}

/** A chunk's rows as entries to publish, and the rows whose Chinese values cannot be read, with their errors. */
function mapRows(rows: RawImportRow[]): {
  errors: { row: RawImportRow; errors: ImportRowError[] }[];
  valid: { index: number; raw: unknown }[];
} {
  const errors: { row: RawImportRow; errors: ImportRowError[] }[] = [];
  const valid: { index: number; raw: unknown }[] = [];
  for (const row of rows) {
    const mapped = rowToEntry(row);
    if ('errors' in mapped) errors.push({ row, errors: mapped.errors });
    else valid.push({ index: row.row, raw: mapped.entry });
  }
  return { errors, valid };
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
