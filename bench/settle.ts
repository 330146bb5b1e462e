import { readFileSync } from 'node:fs';
import { SchemaProbe } from '@jrp/testing';

/** What the machine was doing over one sampling window. */
export interface SettleSample {
  /** Share of the machine's CPU time that was busy over the window, 0–1. */
  busyShare: number;
  /** Autovacuum and autoanalyze workers running in the bench's database. */
  autovacuumWorkers: number;
}

/** Busy below this share of all cores, with no autovacuum worker, counts as settled. */
export const SETTLED_BUSY_SHARE = 0.2;

/**
 * Whether the machine has settled after a heavy part: no autovacuum worker still cleaning up after it,
 * and the cores mostly idle. Pure, so its table test states the rule.
 */
export function isSettled(sample: SettleSample): boolean {
  return sample.autovacuumWorkers === 0 && sample.busyShare < SETTLED_BUSY_SHARE;
}

/** The machine's busy and total CPU ticks so far, from /proc/stat. */
function cpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/**
 * Waits, at most `maxSeconds`, until the machine is settled (`isSettled`), sampling every `windowMs`.
 * A part measured right after a large fan-out otherwise measures the autovacuum that the fan-out left
 * behind, not the path under test. Returns how long it waited and whether it settled.
 */
export async function settle(
  probe: SchemaProbe,
  maxSeconds: number,
  windowMs = 5000,
): Promise<{ waitedSeconds: number; settled: boolean; last: SettleSample }> {
  const started = Date.now();
  for (;;) {
    const before = cpuTicks();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = cpuTicks();
    const [{ n }] = await probe.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()`,
    );
    const last: SettleSample = {
      busyShare: (after.busy - before.busy) / Math.max(1, after.total - before.total),
      autovacuumWorkers: n,
    };
    const waitedSeconds = Math.round((Date.now() - started) / 1000);
    if (isSettled(last)) return { waitedSeconds, settled: true, last };
    if (waitedSeconds >= maxSeconds) return { waitedSeconds, settled: false, last };
  }
}
