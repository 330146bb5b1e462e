import { Principal } from './principal';
import { RevocationList } from './revocation-list';

/** Why a token no longer admits its holder. */
export type TokenEnd = 'revoked' | 'expired';

/**
 * A watch on the token of a request that outlives the guard's check (a task stream, a long poll):
 * `signal` aborts as soon as this process learns the token is revoked or the token expires, and `ended()`
 * says whether (and why) it no longer holds, checked anew each time. `dispose()` when the request ends.
 */
export interface TokenWatch {
  readonly signal: AbortSignal;
  ended(now?: number): TokenEnd | undefined;
  dispose(): void;
}

/** setTimeout's longest delay; a later expiry is caught by `ended()`, which the holder calls regularly. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Watches `principal`'s token against the process's revocation list and its own expiry. */
export function watchToken(revocations: RevocationList, principal: Principal): TokenWatch {
  const controller = new AbortController();
  const expiresAt = principal.expiresAt?.getTime();
  const ended = (now = Date.now()): TokenEnd | undefined => {
    // once ended, always ended (a timer may fire a millisecond before Date.now() reaches the expiry)
    if (controller.signal.aborted) return controller.signal.reason as TokenEnd;
    if (revocations.has(principal.tokenId)) return 'revoked';
    if (expiresAt !== undefined && expiresAt <= now) return 'expired';
    return undefined;
  };
  const stopListening = revocations.onRevoked((tokenId) => {
    if (tokenId === principal.tokenId) controller.abort('revoked');
  });
  const delay = expiresAt === undefined ? undefined : expiresAt - Date.now();
  const timer =
    delay !== undefined && delay < MAX_TIMER_MS
      ? setTimeout(() => controller.abort('expired'), Math.max(delay, 0))
      : undefined;
  timer?.unref();
  if (ended()) controller.abort(ended());
  return {
    signal: controller.signal,
    ended,
    dispose: () => {
      stopListening();
      if (timer) clearTimeout(timer);
    },
  };
}
