import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { UnitOfWork } from '@jrp/messaging';
import { EntryState, MatchingService } from '../../matching/matching.service';

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
    this.running ??= this.work()
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
    return this.uow.run(async (m, outbox) => {
      const [job] = await m.query<({ version: number; after: string } | undefined)[]>(
        `SELECT version, after_entry AS "after" FROM rematch_jobs WHERE status = 'running' ORDER BY version LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!job) return false;
      const states: EntryState[] = await m.query(
        `SELECT entry_id AS "entryId", version, list_type AS "listType", status, region, subject,
                has_legal_representative AS "hasLegalRepresentative", disputed
         FROM entry_states WHERE status = 'active' AND entry_id > $1 ORDER BY entry_id LIMIT $2 FOR UPDATE`,
        [job.after, this.config.rematchBatchSize],
      );
      if (states.length === 0) {
        await m.query(`UPDATE rematch_jobs SET status = 'done', finished_at = now() WHERE version = $1`, [job.version]);
        this.logger.log(`re-matching for catalogue version ${job.version} done`);
        return true;
      }
      const counts = { dispatched: 0, updated: 0, revoked: 0 };
      for (const plan of await this.matching.rematch(m, outbox, states, new Date()))
        for (const p of plan) counts[p.type]++;
      await m.query(
        `UPDATE rematch_jobs SET after_entry = $2, processed = processed + $3, dispatched = dispatched + $4, updated = updated + $5, revoked = revoked + $6
         WHERE version = $1`,
        [
          job.version,
          states[states.length - 1].entryId,
          states.length,
          counts.dispatched,
          counts.updated,
          counts.revoked,
        ],
      );
      return true;
    });
  }
}
