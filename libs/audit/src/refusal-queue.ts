import { RateLimiter } from '@jrp/auth';
import type { AuditOutcome, AuditRecordedData } from '@jrp/contracts';

/** The outcome an audit record gives a refused request, by HTTP status. */
export const REFUSAL_OUTCOMES: Readonly<Record<number, AuditOutcome>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  429: 'rate-limited',
};

export interface RefusalQueueLimits {
  /** Refusals recorded one by one per source address and minute; the rest are only counted. */
  perAddressPerMinute: number;
  /** Records waiting to be written, at most; beyond, refusals are only counted. */
  capacity: number;
  /** Source addresses whose unrecorded refusals are counted apart; beyond, they share one count. */
  addresses: number;
}

export const DEFAULT_REFUSAL_LIMITS: RefusalQueueLimits = { perAddressPerMinute: 60, capacity: 1000, addresses: 1000 };

/** The address under which refusals of addresses beyond `addresses` are counted. */
export const OTHER_ADDRESSES = '';

/**
 * Refused requests (401, 403, 404, 429) waiting to be written to the audit trail, bounded so that a flood
 * of them floods neither the trail nor the database: each source address gets at most
 * `perAddressPerMinute` records a minute, and at most `capacity` wait to be written. What is refused a
 * record is counted per source address instead, and `take` hands out the counts as summary records
 * (outcome `not-recorded`, object `count`/<how many>), so the trail says how many went unrecorded and
 * from where. Pure apart from the clock.
 */
export class RefusalQueue {
  private readonly queue: AuditRecordedData[] = [];
  private readonly budget: RateLimiter;
  private readonly unrecorded = new Map<string, number>();
  /** Every refusal counted and not recorded, since the start (the metric). */
  droppedTotal = 0;

  constructor(
    private readonly limits: RefusalQueueLimits = DEFAULT_REFUSAL_LIMITS,
    now: () => number = Date.now,
  ) {
    this.budget = new RateLimiter(limits.perAddressPerMinute, now);
  }

  /** Records waiting plus the summaries due. */
  get pending(): number {
    return this.queue.length + this.unrecorded.size;
  }

  /** Queues the record of a refusal, or counts it against its source address; true when queued. */
  offer(record: AuditRecordedData): boolean {
    const full = this.queue.length >= this.limits.capacity;
    if (!full && this.budget.take(record.sourceAddress) === 0) {
      this.queue.push(record);
      return true;
    }
    const address =
      this.unrecorded.has(record.sourceAddress) || this.unrecorded.size < this.limits.addresses
        ? record.sourceAddress
        : OTHER_ADDRESSES;
    this.unrecorded.set(address, (this.unrecorded.get(address) ?? 0) + 1);
    this.droppedTotal++;
    return false;
  }

  /**
   * Up to `max` records, oldest first; once the queue is empty, the summaries of what was counted since
   * the last ones, made by `summary` (each address's count then starts again from 0).
   */
  take(max: number, summary: (address: string, count: number) => AuditRecordedData): AuditRecordedData[] {
    const taken = this.queue.splice(0, max);
    if (this.queue.length > 0) return taken;
    for (const [address, count] of this.unrecorded) {
      if (taken.length >= max) break;
      taken.push(summary(address, count));
      this.unrecorded.delete(address);
    }
    return taken;
  }
}
