import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { outsideTransactions } from '@jrp/database';
import { UnitOfWork } from '@jrp/messaging';
import { EntryStatesRepository } from '../../matching/entry-states.repository';
import { MatchingService } from '../../matching/matching.service';
import { CatalogueVersionsRepository } from './catalogue-versions.repository';

/**
 * After a catalogue version is published, every active entry is matched again, in batches (200 by
 * default, JRP_REMATCH_BATCH_SIZE), each
 * in one transaction that also moves the job's cursor: new measures create or extend tasks, withdrawn
 * ones revoke, unchanged tasks are untouched. Interrupted, it resumes after the last committed batch;
 * replicas take batches under the job's row lock, so none is done twice.
 */
@Injectable()
export class RematchJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Rematch');
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly matching: MatchingService,
    private readonly versions: CatalogueVersionsRepository,
    private readonly entries: EntryStatesRepository,
    @Inject(JrpConfig) private readonly config: JrpConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Starts working through unfinished jobs, unless already at it. */
  kick(): void {
    // its batches open their own transactions, never joining one the caller still holds (an Idempotency-Key request's)
    this.running ??= outsideTransactions(() => this.work())
      .catch((error) => this.logger.error(`re-matching stopped: ${(error as Error).message}`))
      .finally(() => (this.running = undefined));
  }

  /** Until no job is left: one batch at a time (exposed for tests that interrupt it). */
  async work(maxBatches = Infinity): Promise<void> {
    for (let n = 0; n < maxBatches && !this.stopping; n++) {
      if (!(await this.batch())) return;
    }
  }

  /** One batch of the oldest running job; false when there is nothing to do. */
  async batch(): Promise<boolean> {
    return this.uow.run(async () => {
      const job = await this.versions.lockNextRematch();
      if (!job) return false;
      const states = await this.entries.lockActiveAfter(job.after, this.config.rematchBatchSize);
      if (states.length === 0) {
        await this.versions.finishRematch(job.version);
        this.logger.log(`re-matching for catalogue version ${job.version} done`);
        return true;
      }
      const counts = { processed: states.length, dispatched: 0, updated: 0, revoked: 0 };
      // a task held or released by the rematch (a rule set that now holds, or no longer does) counts as updated
      for (const plan of await this.matching.rematch(states, new Date()))
        for (const p of plan) counts[p.type === 'held' || p.type === 'released' ? 'updated' : p.type]++;
      await this.versions.advanceRematch(job.version, states[states.length - 1].entryId, counts);
      return true;
    });
  }
}
