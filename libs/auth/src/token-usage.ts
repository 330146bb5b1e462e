import { Injectable } from '@nestjs/common';

/** When each token was last seen by this process; drained once a minute into `jrp.token.used` events. */
@Injectable()
export class TokenUsage {
  private seen = new Map<string, Date>();

  note(tokenId: string, at = new Date()): void {
    this.seen.set(tokenId, at);
  }

  drain(): Map<string, Date> {
    const drained = this.seen;
    this.seen = new Map();
    return drained;
  }
}
