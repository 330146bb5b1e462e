import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { ImportsRepository } from './imports.repository';

/** How often each replica purges rejected import rows past their retention. */
export const IMPORT_ERRORS_PURGE_INTERVAL_MS = 60 * 60 * 1000;
const BATCH = 5000;

/**
 * Rejected import rows are kept JRP_IMPORT_ERRORS_RETENTION_DAYS days (default 90) after their import
 * finished, for the uploader's errors CSV, then deleted: at start and every hour, by every replica (the
 * deletes are idempotent), in batches of 5,000 rows, each its own statement. The import itself (its
 * counts) stays; its errors CSV is then just the header.
 */
@Injectable()
export class ImportErrorsRetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ImportErrorsRetention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly imports: ImportsRepository,
    @Inject(JrpConfig) private readonly config: JrpConfig,
  ) {}

  onApplicationBootstrap(): void {
    const pass = () =>
      void this.runOnce().catch((error: unknown) =>
        this.logger.warn(`purge of rejected import rows failed: ${(error as Error).message}`),
      );
    pass();
    this.timer = setInterval(pass, IMPORT_ERRORS_PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes every rejected row past its retention; answers how many (a pass already running is joined). */
  runOnce(): Promise<number> {
    this.running ??= this.purge().finally(() => (this.running = undefined));
    return this.running;
  }

  private async purge(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.imports.purgeErrors(this.config.importErrorsRetentionDays, BATCH);
      total += deleted;
      if (deleted < BATCH) break;
    }
    if (total > 0)
      this.logger.log(`deleted ${total} rejected import rows older than ${this.config.importErrorsRetentionDays} days`);
    return total;
  }
}
