import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ConsumerGroups, TokenEvents, TokenUsedData } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { TokensRepository } from './tokens.repository';

/** Keeps each token's last-used time from what every service reports (in the consumer's inbox transaction). */
@Controller()
export class TokenUsageHandler {
  constructor(private readonly tokens: TokensRepository) {}

  @ConsumesEvents(TokenEvents.Used, ConsumerGroups.Measures)
  async onUsed(@Payload() data: TokenUsedData): Promise<void> {
    await this.tokens.recordUse(data.tokenId, data.lastUsedAt);
  }
}
