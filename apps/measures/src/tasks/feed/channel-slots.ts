/**
 * How many open task streams and waiting long polls each token holds in this process, bounded by
 * JRP_MAX_STREAMS_PER_TOKEN: one token cannot tie up the process's connections and notifier listeners.
 * Counted per process (several replicas each count their own), released when the request ends.
 */
export class ChannelSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly max: number) {}

  /** A slot for `tokenId`, and the function that gives it back (idempotent); undefined when all are taken. */
  take(tokenId: string): (() => void) | undefined {
    const count = this.held.get(tokenId) ?? 0;
    if (count >= this.max) return undefined;
    this.held.set(tokenId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(tokenId) ?? 1) - 1;
      if (left > 0) this.held.set(tokenId, left);
      else this.held.delete(tokenId);
    };
  }

  /** Slots `tokenId` holds now. */
  count(tokenId: string): number {
    return this.held.get(tokenId) ?? 0;
  }
}
