import {
  BeforeApplicationShutdown,
  HttpException,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { existsSync } from 'node:fs';
import { JrpConfig } from '@jrp/config';
import { afterCommit, outsideTransactions } from '@jrp/database';
import { UnitOfWork } from '@jrp/messaging';
import { quotaRefusal } from './import-quota';
import { ImportJob, ImportsRepository } from './imports.repository';
import { importsFolder, uploadFolderId } from './upload-folder';

/** Why a job ends failed when its upload is no longer on disk (at start, or when it is claimed). */
export const MISSING_FILE_REASON = '导入文件已丢失，请重新上传';

/** How often each replica looks for jobs it can start (a slot freed on another replica, an abandoned job). */
const POLL_INTERVAL_MS = 5000;
/** Candidates taken per round of claims. */
const ROUND = 50;
/** How long a stopping replica waits for its running jobs to reach the end of a chunk (within the 28 s of a shutdown). */
const STOP_WAIT_MS = 15000;

/** The replica is stopping: the job goes back to the queue and runs again from its file. */
export class ImportInterrupted extends Error {
  override readonly name = 'ImportInterrupted';
}

/**
 * The queue of import jobs. An organisation has at most `JRP_IMPORTS_PER_ORGANIZATION` jobs running
 * at once across all replicas; its other jobs wait as `queued` and start, oldest first, when a slot
 * frees: when a job of this replica ends, and every 5 seconds (a slot freed on another replica, a job
 * abandoned by a replica that died). Each claim takes the organisation's advisory lock and counts its
 * running jobs in the same transaction, so two replicas never fill one slot. Uploads are refused beyond
 * the organisation's quota of queued and running file bytes (`JRP_IMPORT_QUOTA_BYTES_PER_ORGANIZATION`),
 * checked under the same lock as the insert. A job whose file is gone (at start, or when claimed)
 * ends failed with {@link MISSING_FILE_REASON}. A replica runs only the jobs of its own upload folder.
 * On shutdown, running jobs stop after their current chunk and go back to the queue.
 */
@Injectable()
export class ImportQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Imports');
  /** The id of this replica's upload folder (shared by the replicas that share the folder). */
  readonly folder: string;
  private runner?: (job: ImportJob) => Promise<void>;
  private timer?: NodeJS.Timeout;
  private pumping?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly imports: ImportsRepository,
    @Inject(JrpConfig) private readonly config: JrpConfig,
  ) {
    this.folder = uploadFolderId(importsFolder(config.dataDir));
  }

  /** What runs a claimed job (the imports service): it marks the job done or failed, or throws ImportInterrupted. */
  register(runner: (job: ImportJob) => Promise<void>): void {
    this.runner = runner;
  }

  /** True once the replica is stopping: a running job stops at its next chunk ({@link ImportInterrupted}). */
  get stopping(): boolean {
    return this.stopped;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.failMissing();
    this.kick();
    this.timer = setInterval(() => this.kick(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Stops claiming; running jobs stop after their current chunk and go back to the queue. Waited for at
   * most {@link STOP_WAIT_MS}: a job still busy then (a huge workbook's shared strings loading) is left
   * `running` and taken up as abandoned 15 minutes later, by this replica restarted or another one.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timeout = setTimeout(resolve, STOP_WAIT_MS)));
    await Promise.race([Promise.all([this.pumping, ...this.active]), waited]);
    clearTimeout(timeout);
  }

  /**
   * Stores a job as `queued` if its file fits its organisation's quota; otherwise throws 413 (the file
   * alone exceeds the quota) or 429 (with the organisation's queued and running files it would), with
   * the reason in Chinese and English on the `file` field, and stores nothing. Starts it once committed,
   * if its organisation has a free slot.
   */
  async enqueue(job: Omit<ImportJob, 'folder' | 'status'>): Promise<void> {
    await this.uow.run(async () => {
      await this.imports.lockOrganization(job.organization);
      const pending = await this.imports.pendingBytes(job.organization);
      const refusal = quotaRefusal(pending, job.fileBytes, this.config.importQuotaBytesPerOrganization);
      if (refusal)
        throw new HttpException(
          { detail: refusal.message, errors: [{ field: 'file', message: refusal.message }] },
          refusal.status,
        );
      await this.imports.insert({ ...job, status: 'queued', folder: this.folder });
      afterCommit(this.uow.dataSource, () => this.kick());
    });
  }

  /** Starts what can start now, unless already at it (then it looks again once done). */
  kick(): void {
    if (this.stopped || !this.runner) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    // claims and jobs open their own transactions, never joining one the caller holds (an Idempotency-Key request's)
    this.pumping = outsideTransactions(() => this.pump())
      .catch((error: unknown) => this.logger.warn(`import queue: ${(error as Error).message}`))
      .finally(() => {
        this.pumping = undefined;
        if (this.again) this.kick();
      });
  }

  /** Rounds of claims until a round claims nothing. */
  private async pump(): Promise<void> {
    for (;;) {
      this.again = false;
      const perOrganization = this.config.importsPerOrganization;
      let claimed = 0;
      for (const candidate of await this.imports.claimable(this.folder, perOrganization, ROUND)) {
        if (this.stopped) return;
        const job = await this.uow.run(async () => {
          await this.imports.lockOrganization(candidate.organization);
          return this.imports.claim(candidate.id, candidate.organization, perOrganization);
        });
        if (!job) continue;
        claimed++;
        this.start(job);
      }
      if (claimed === 0) return;
    }
  }

  private start(job: ImportJob): void {
    const run = (async () => {
      if (!existsSync(job.filePath)) {
        this.logger.warn(`import ${job.id}: its file is gone`);
        await this.imports.markFailed(job.id, MISSING_FILE_REASON);
        return;
      }
      await this.runner!(job);
    })()
      .catch((error: unknown) => this.logger.error(`import ${job.id}: ${(error as Error).stack}`))
      .finally(() => {
        this.active.delete(run);
        this.kick(); // its slot is free
      });
    this.active.add(run);
  }

  /** At start: the waiting jobs of this folder whose file is gone end failed instead of staying queued. */
  private async failMissing(): Promise<void> {
    for (const job of await this.imports.waiting(this.folder)) {
      if (existsSync(job.filePath)) continue;
      if (await this.imports.failWaiting(job.id, MISSING_FILE_REASON))
        this.logger.warn(`import ${job.id}: its file is gone`);
    }
  }
}
