import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { ListEntryEvents } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { UnitOfWork } from '@jrp/messaging';
import { Entry } from '../entries/entry';
import { EntryJournal } from '../entries/entry-journal';
import { ListEntriesRepository } from '../entries/list-entries.repository';

/**
 * Entries expire by themselves the day after `validUntil` (inclusive, Asia/Shanghai) — or, for a graded
 * entry of a list type repaired on application (2025), the day after `publicUntil`. Every replica
 * runs this; rows are taken with `FOR UPDATE SKIP LOCKED` and the status checked under the lock, so
 * each entry expires exactly once, whoever gets there first.
 */
@Injectable()
export class ExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Expiry');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly entries: ListEntriesRepository,
    private readonly journal: EntryJournal,
    @Inject(JrpConfig) private readonly config: JrpConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () =>
        void this.runOnce().catch((error: unknown) =>
          this.logger.warn(`expiry pass failed: ${(error as Error).message}`),
        ),
      this.config.expiryIntervalMs,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Expires what is due now; returns how many entries this replica expired. */
  async runOnce(now = new Date()): Promise<number> {
    if (this.running) return this.running;
    this.running = this.expireAll(todayInShanghai(now), now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async expireAll(today: string, now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.uow.run(async () => {
        const due = await this.entries.lockExpired(today, 500);
        const changes = due.map(({ endsByPublication, ...e }) => {
          const next: Entry = { ...e, status: 'expired', version: e.version + 1 };
          return {
            entry: next,
            type: ListEntryEvents.Expired,
            action: 'expired',
            reason: endsByPublication
              ? `公示期至 ${e.publicUntil} 届满 (publication period ended)`
              : `有效期至 ${e.validUntil} 届满 (validity ended)`,
            at: now,
          };
        });
        for (const c of changes) await this.entries.update(c.entry, true);
        await this.journal.record(changes, 'system');
        return changes.length;
      });
      total += expired;
      if (expired < 500) return total;
    }
  }
}
