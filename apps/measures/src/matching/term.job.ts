import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { outsideTransactions } from '@jrp/database';
import { todayInShanghai } from '@jrp/domain';
import { UnitOfWork } from '@jrp/messaging';
import { EntryStatesRepository } from './entry-states.repository';
import { MatchingService } from './matching.service';

/** Entries read as candidates at a time; each is then locked and matched in batches of JRP_REMATCH_BATCH_SIZE. */
const CANDIDATES_A_READ = 20_000;

/**
 * Terms end with time passing, not with an event (措施期限届满): every replica looks, as often as for
 * expiries (JRP_EXPIRY_INTERVAL_MS), for active entries with a standing task one of whose measures' last
 * day (`applyUntil`) is before today (Asia/Shanghai), and matches them again as of now: a task left with
 * no measure ends `term-ended`, one with fewer is `updated`. The candidates come from the tasks' term
 * index; they are then taken in batches, each locked, checked again and matched in one transaction (the
 * lock order of matching: entry, then tasks), so a replica that comes second finds nothing left to do;
 * a rematch changes nothing twice.
 */
@Injectable()
export class TermJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Terms');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly entries: EntryStatesRepository,
    private readonly matching: MatchingService,
    @Inject(JrpConfig) private readonly config: JrpConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () =>
        void this.runOnce().catch((error: unknown) =>
          this.logger.warn(`term pass failed: ${(error as Error).message}`),
        ),
      this.config.expiryIntervalMs,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /**
   * Matches again the entries whose measures' terms ran out by `now`; returns how many tasks changed. A pass
   * under way (the timer's) is waited for first, so the answer is this `now`'s.
   */
  async runOnce(now = new Date()): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = outsideTransactions(() => this.endTerms(now)).finally(() => (this.running = undefined));
    return this.running;
  }

  private async endTerms(now: Date): Promise<number> {
    const today = todayInShanghai(now);
    let after = '00000000-0000-0000-0000-000000000000';
    let changed = 0;
    for (;;) {
      const candidates = await this.entries.entriesWithEndedTerms(today, after, CANDIDATES_A_READ);
      for (let i = 0; i < candidates.length; i += this.config.rematchBatchSize) {
        const batch = candidates.slice(i, i + this.config.rematchBatchSize);
        changed += await this.uow.run(async () => {
          const states = await this.entries.lockWithEndedTerms(today, batch);
          const plans = states.length ? await this.matching.rematch(states, now) : [];
          return plans.flat().length;
        });
      }
      if (candidates.length < CANDIDATES_A_READ) break;
      after = candidates[candidates.length - 1];
    }
    if (changed) this.logger.log(`${changed} task change(s) for measures whose terms ended by ${today}`);
    return changed;
  }
}
