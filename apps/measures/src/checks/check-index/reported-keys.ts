import { prefixOf } from './subject-key-index';

/**
 * The PostgreSQL channel on which matching announces, in its transaction, how the reported entries'
 * keys changed (delivered on commit, to every replica listening). Payload:
 * `schema|xid|nonce|prefix:delta,prefix:delta,…` — the schema (suites and installations share a
 * database), the writing transaction's id (`pg_current_xact_id()`), a nonce (PostgreSQL folds identical
 * payloads of one transaction into one: two batches of a transaction with the same changes must both
 * arrive), and for each key prefix (16 hex characters) the net change of its count. A transaction's
 * changes may take several notifications (each under PostgreSQL's 8,000-byte limit).
 */
export const REPORTED_KEYS_CHANNEL = 'jrp_reported_keys';

/** Key prefixes a notification carries at most (each `16 hex:±n,` ≤ 24 bytes, so a payload stays under 8,000 bytes). */
export const PREFIXES_PER_NOTIFICATION = 300;

export interface ReportedKeysChange {
  schema: string;
  xid: bigint;
  deltas: { hi: number; lo: number; delta: number }[];
}

/** A notification's payload read back; null when it is not one (malformed: never written by jrp). */
export function parseReportedKeys(payload: string): ReportedKeysChange | null {
  const parts = payload.split('|');
  if (parts.length !== 4 || !/^\d+$/.test(parts[1])) return null;
  const deltas: ReportedKeysChange['deltas'] = [];
  for (const item of parts[3] === '' ? [] : parts[3].split(',')) {
    const colon = item.indexOf(':');
    const prefix = colon === 16 ? prefixOf(item.slice(0, 16)) : null;
    const delta = Number(item.slice(colon + 1));
    if (!prefix || !Number.isInteger(delta)) return null;
    deltas.push({ ...prefix, delta });
  }
  return { schema: parts[0], xid: BigInt(parts[1]), deltas };
}

/** A PostgreSQL snapshot (`pg_current_snapshot()`): `xmin:xmax:xip,xip,…`. */
export interface Snapshot {
  xmin: bigint;
  xmax: bigint;
  inProgress: ReadonlySet<bigint>;
}

export function parseSnapshot(text: string): Snapshot {
  const match = /^(\d+):(\d+):([\d,]*)$/.exec(text);
  if (!match) throw new Error(`not a snapshot: ${text}`);
  return {
    xmin: BigInt(match[1]),
    xmax: BigInt(match[2]),
    inProgress: new Set(match[3] === '' ? [] : match[3].split(',').map((x) => BigInt(x))),
  };
}

/**
 * Whether the changes of a committed transaction are in what a snapshot saw (`pg_visible_in_snapshot`'s
 * rule): begun before every transaction the snapshot saw running, or before its horizon and not running
 * then. A notification of such a transaction is already counted by the load that read that snapshot.
 */
export function visibleIn(xid: bigint, snapshot: Snapshot): boolean {
  if (xid < snapshot.xmin) return true;
  if (xid >= snapshot.xmax) return false;
  return !snapshot.inProgress.has(xid);
}
