/**
 * Reads of rows that change rarely, cached by key for at most `ttlMs` each and all dropped at once when
 * the rows change. The drop reaches only the process that made the change, or the one replica of its
 * consumer group that received its event; the time bound is what brings every other replica up to
 * date. The bound counts from the start of the read, so a value served is never older than `ttlMs`.
 *
 * Callers asking while a read is under way share it. A read that fails, or whose value `keep` refuses
 * (a row not there yet, say), is not kept; neither is a read begun before a drop (the drop removes its
 * entry, so it cannot put back what it read from before the change).
 */
export class CachedReads<K, V> {
  private readonly entries = new Map<K, { until: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly keep: (value: V) => boolean = () => true,
  ) {}

  /** The value cached under `key` if it is recent enough, otherwise `read()`'s (cached in turn). */
  get(key: K, read: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const entry = { until: now + this.ttlMs, value: read() };
    this.entries.set(key, entry);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    entry.value.then((value) => {
      if (!this.keep(value)) forget();
    }, forget);
    return entry.value;
  }

  /** Forgets every value, and every read under way (their callers still get what they read). */
  drop(): void {
    this.entries.clear();
  }
}
