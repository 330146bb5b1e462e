import { Injectable } from '@nestjs/common';

/**
 * Revoked token ids known to this process, fed by every service's `jrp.token.revoked` consumer and
 * loaded from their tables at start. The guard refuses these tokens; channels held open by a token
 * (task streams, long polls) listen for its revocation through `onRevoked`.
 */
@Injectable()
export class RevocationList {
  private readonly revoked = new Set<string>();
  private readonly listeners = new Set<(tokenId: string) => void>();

  add(tokenId: string): void {
    if (this.revoked.has(tokenId)) return;
    this.revoked.add(tokenId);
    for (const listener of [...this.listeners]) listener(tokenId);
  }

  has(tokenId: string): boolean {
    return this.revoked.has(tokenId);
  }

  get size(): number {
    return this.revoked.size;
  }

  /** Calls `listener` with each token id this process learns is revoked from now on; returns the unsubscribe. */
  onRevoked(listener: (tokenId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
