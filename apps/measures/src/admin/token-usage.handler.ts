import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ConsumerGroups, TokenEvents, TokenUsedData } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';

/** Keeps each token's last-used time from what every service reports. */
@Controller()
export class TokenUsageHandler {
  @ConsumesEvents(TokenEvents.Used, ConsumerGroups.Measures)
  async onUsed(@Payload() data: TokenUsedData, @Ctx() { manager }: ConsumerContext): Promise<void> {
    await manager.query(`UPDATE tokens SET last_used_at = GREATEST(COALESCE(last_used_at, $2), $2) WHERE id = $1`, [
      data.tokenId,
      data.lastUsedAt,
    ]);
  }
}
