import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TokenUsage } from '@jrp/auth';
import { eventIdOf, TokenEvents, TokenUsedData } from '@jrp/contracts';
import { MessagingRegistry } from '@jrp/messaging';

/**
 * Once a minute, tells measures (which keeps the tokens) when this process last saw each token, as
 * `jrp.token.used` events through the outbox of one of the process's services.
 */
@Injectable()
export class TokenUsageReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TokenUsage');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly usage: TokenUsage,
    @Inject(MessagingRegistry) private readonly registry: MessagingRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () =>
        void this.flush().catch((error: unknown) =>
          this.logger.warn(`token usage not reported: ${(error as Error).message}`),
        ),
      60000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async flush(): Promise<void> {
    const unit = this.registry.units[0];
    const seen = this.usage.drain();
    if (!unit || seen.size === 0) return;
    const { outbox } = unit;
    await unit.run(() =>
      outbox.append(
        [...seen].map(([tokenId, at]) => {
          const data: TokenUsedData = { tokenId, lastUsedAt: at.toISOString(), service: outbox.service };
          return {
            id: eventIdOf('token-usage', `${tokenId}/${outbox.service}`, at.getTime(), TokenEvents.Used),
            type: TokenEvents.Used,
            key: tokenId,
            data,
          };
        }),
      ),
    );
  }
}
