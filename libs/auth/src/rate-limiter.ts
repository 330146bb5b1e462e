/**
 * Requests per minute per key (a token, or the source address of anonymous calls), counted in this
 * process over a sliding window of two fixed minutes. Several replicas each count their own share.
 */
export class RateLimiter {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private windowStart: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = Math.floor(now() / 60000) * 60000;
  }

  /** Counts one request; returns 0 when allowed, else the seconds to wait before retrying. */
  take(key: string): number {
    const now = this.now();
    const window = Math.floor(now / 60000) * 60000;
    if (window !== this.windowStart) {
      this.previous = window - this.windowStart === 60000 ? this.current : new Map<string, number>();
      this.current = new Map();
      this.windowStart = window;
    }
    const elapsed = (now - window) / 60000;
    const estimate = (this.previous.get(key) ?? 0) * (1 - elapsed) + (this.current.get(key) ?? 0);
    if (estimate >= this.perMinute) return Math.max(1, Math.ceil(60 - (now - window) / 1000));
    this.current.set(key, (this.current.get(key) ?? 0) + 1);
    return 0;
  }
}
