import { Injectable } from '@nestjs/common';

/**
 * Revoked token ids known to this process, fed by every service's `jrp.token.revoked` consumer and
 * loaded from their tables at start. The guard refuses these tokens.
 */
@Injectable()
export class RevocationList {
  private readonly revoked = new Set<string>();

  add(tokenId: string): void {
    this.revoked.add(tokenId);
  }

  has(tokenId: string): boolean {
    return this.revoked.has(tokenId);
  }

  get size(): number {
    return this.revoked.size;
  }
}
