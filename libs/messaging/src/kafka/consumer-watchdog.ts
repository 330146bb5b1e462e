/**
 * The consumer watchdog's decisions, kept pure so they can be tested as tables: what KafkaBus saw of
 * one consumer group's consumer in this process goes in, "keep" or "replace, and why" comes out.
 *
 * kafkajs 2.2.4 (unmaintained) has consumers that stop consuming without saying so: a crash after
 * which it does not restart, a fetch loop that ends after a broker restart, a rebalance that never
 * completes, a member whose heartbeats keep its partitions while no fetch runs. The watchdog does not
 * try to tell these apart; it looks at what a working consumer does (it fetches about every second,
 * and the committed offsets of the partitions it was given move while they have lag) and replaces a
 * consumer that stopped doing it for `stallMs`, counted only while the broker answers.
 */

/** Why a consumer is kept. */
export type KeepReason = 'healthy' | 'broker-unreachable' | 'busy';

/** Why a consumer is replaced (the metric's `reason` label). */
export type ReplaceReason = 'crashed' | 'no-fetch' | 'no-progress';

export type Verdict = { action: 'keep'; reason: KeepReason } | { action: 'replace'; reason: ReplaceReason };

/** What the watchdog saw of one consumer at `now` (epoch milliseconds throughout). */
export interface ConsumerObservation {
  now: number;
  /** When this consumer was created and told to run. */
  startedAt: number;
  /** kafkajs reported a crash after which it will not restart the consumer (`CRASH` with `restart: false`). */
  crashedForGood: boolean;
  /** Since when the broker has answered the bus's admin client without interruption; undefined: it does not answer now. */
  brokerAnswersSince?: number;
  /** The consumer's last fetch request (kafkajs `FETCH_START`/`FETCH`); an idle consumer fetches every second. */
  lastFetchAt?: number;
  /** A batch is being handled since then (the service's transaction, retried in place while its database is away). */
  busySince?: number;
  /** When the last handled batch ended. */
  lastBusyAt?: number;
  /** The earliest moment since which a partition assigned to this consumer has had lag and the same committed offset. */
  stuckSince?: number;
}

/**
 * Keep or replace. The broker down: keep (a new consumer could not connect either, and kafkajs
 * restarts its own crashed consumers once it is back). Crashed for good: replace. A batch in hand:
 * keep (its own retries and heartbeats go on). Otherwise replace when no fetch ran, or an assigned
 * partition with lag did not move, for `stallMs` counted from the latest of the consumer's start, the
 * broker's return and the last batch's end.
 */
export function judgeConsumer(o: ConsumerObservation, stallMs: number): Verdict {
  if (o.brokerAnswersSince === undefined) return { action: 'keep', reason: 'broker-unreachable' };
  if (o.crashedForGood) return { action: 'replace', reason: 'crashed' };
  if (o.busySince !== undefined) return { action: 'keep', reason: 'busy' };
  const from = Math.max(o.startedAt, o.brokerAnswersSince, o.lastBusyAt ?? 0);
  if (o.now - Math.max(from, o.lastFetchAt ?? 0) >= stallMs) return { action: 'replace', reason: 'no-fetch' };
  if (o.stuckSince !== undefined && o.now - Math.max(from, o.stuckSince) >= stallMs)
    return { action: 'replace', reason: 'no-progress' };
  return { action: 'keep', reason: 'healthy' };
}

/** One assigned partition as read from the broker: the group's committed offset and the partition's end. */
export interface PartitionOffsets {
  /** `topic/partition`. */
  key: string;
  /** The next offset the group will read (the committed offset, or the low watermark before the first commit). */
  committed: bigint;
  /** The high watermark. */
  high: bigint;
}

/** Since when a partition with lag has kept its committed offset. */
export interface Stuck {
  committed: bigint;
  since: number;
}

/**
 * The next view of which assigned partitions are stuck: a partition without lag is not; one whose
 * committed offset moved (or that was not stuck before) is stuck from `now`; one with the same committed
 * offset and still lag keeps its moment. Partitions no longer assigned are forgotten.
 */
export function trackStuck(
  previous: ReadonlyMap<string, Stuck>,
  partitions: readonly PartitionOffsets[],
  now: number,
): Map<string, Stuck> {
  const next = new Map<string, Stuck>();
  for (const p of partitions) {
    if (p.high <= p.committed) continue;
    const before = previous.get(p.key);
    next.set(p.key, before && before.committed === p.committed ? before : { committed: p.committed, since: now });
  }
  return next;
}

/** The earliest moment of the stuck partitions, undefined when none is. */
export function earliestStuck(stuck: ReadonlyMap<string, Stuck>): number | undefined {
  let earliest: number | undefined;
  for (const { since } of stuck.values()) earliest = earliest === undefined ? since : Math.min(earliest, since);
  return earliest;
}
