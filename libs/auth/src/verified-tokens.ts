import { Principal } from './principal';

/**
 * Tokens whose signature this process has verified, with their principal: a bounded LRU keyed by the
 * token string, so a caller's requests cost one Ed25519 verification, not one each. Only valid tokens
 * enter; an entry is dropped once its token expires. Revocation is not cached: the guard consults the
 * revocation list on every request, cached or not.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly capacity = 10000) {}

  /** The principal of a token verified before and not expired at `now`; undefined: verify it. */
  get(token: string, now: number): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(token, entry); // most recently used last
    return entry.principal;
  }

  /** Remembers a verified token until `expiresAt` (ms; Infinity: a token without expiry), evicting the least recently used. */
  set(token: string, principal: Principal, expiresAt: number): void {
    this.entries.delete(token);
    this.entries.set(token, { principal, expiresAt });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
