/**
 * A subject key's first 64 bits (its first 16 hex characters), as two unsigned 32-bit halves; null when
 * the key does not start with 16 hex characters (no keyed hash jrp computes: such a key is never indexed,
 * and a check by it is answered from the database).
 */
export function prefixOf(key: string): { hi: number; lo: number } | null {
  if (key.length < 16) return null;
  const hi = hex32(key, 0);
  const lo = hex32(key, 8);
  return hi === null || lo === null ? null : { hi, lo };
}

function hex32(key: string, from: number): number | null {
  let value = 0;
  for (let i = from; i < from + 8; i++) {
    const c = key.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0) return null;
    value = value * 16 + digit;
  }
  return value;
}

/** Slots at most this full before the table doubles (linear probing stays short below it). */
const MAX_LOAD = 0.7;
const MIN_CAPACITY = 1024;

/**
 * A counting set of 64-bit key prefixes in three typed arrays (open addressing, linear probing,
 * backward-shift deletion: no tombstones): for each prefix, how many (entry, key) pairs of the reported
 * entries have a key starting with it. 12 bytes a slot, a power of two of slots at most 70 % full: 1 M
 * prefixes take 2^21 slots = 24 MiB. Two keys that share a prefix share a count, so a prefix present
 * means "one of the keys starting with it may be listed: ask the database", never "this key is listed";
 * a prefix absent means no reported entry has a key starting with it. A count that reaches zero frees its
 * slot; a negative count (never expected: a removal is announced after its listing) stays present, which
 * only sends checks to the database. The table grows, it never shrinks (a rebuild sizes it afresh).
 */
export class SubjectKeyIndex {
  private his: Uint32Array;
  private los: Uint32Array;
  private counts: Int32Array;
  private mask: number;
  private used = 0;

  /** A table sized for `expected` prefixes (it grows past them). */
  constructor(expected = 0) {
    const slots = slotsFor(expected);
    this.his = new Uint32Array(slots);
    this.los = new Uint32Array(slots);
    this.counts = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** Distinct prefixes held. */
  get size(): number {
    return this.used;
  }

  /** Slots allocated (a power of two). */
  get capacity(): number {
    return this.counts.length;
  }

  /** Bytes the table's arrays take. */
  get bytes(): number {
    return this.his.byteLength + this.los.byteLength + this.counts.byteLength;
  }

  /** The count of a prefix; 0 when absent. */
  count(hi: number, lo: number): number {
    const slot = this.find(hi >>> 0, lo >>> 0);
    return slot < 0 ? 0 : this.counts[slot];
  }

  has(hi: number, lo: number): boolean {
    return this.find(hi >>> 0, lo >>> 0) >= 0;
  }

  /** Adds `delta` (negative: removes) to a prefix's count; the slot is freed when the count reaches zero. */
  add(hi: number, lo: number, delta: number): void {
    if (delta === 0) return;
    hi >>>= 0;
    lo >>>= 0;
    const slot = this.find(hi, lo);
    if (slot >= 0) {
      const next = this.counts[slot] + delta;
      if (next === 0) this.free(slot);
      else this.counts[slot] = next;
      return;
    }
    if ((this.used + 1) / this.counts.length > MAX_LOAD) this.grow();
    let i = this.home(hi, lo);
    while (this.counts[i] !== 0) i = (i + 1) & this.mask;
    this.his[i] = hi;
    this.los[i] = lo;
    this.counts[i] = delta;
    this.used++;
  }

  private home(hi: number, lo: number): number {
    // the prefixes are keyed hashes (uniform already); mixing keeps crafted keys (tests, odd input) spread
    return (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ hi) & this.mask;
  }

  private find(hi: number, lo: number): number {
    for (let i = this.home(hi, lo); this.counts[i] !== 0; i = (i + 1) & this.mask)
      if (this.his[i] === hi && this.los[i] === lo) return i;
    return -1;
  }

  /** Empties `slot` and shifts back the entries after it that would no longer be found (backward-shift deletion). */
  private free(slot: number): void {
    let hole = slot;
    for (let j = (hole + 1) & this.mask; this.counts[j] !== 0; j = (j + 1) & this.mask) {
      const home = this.home(this.his[j], this.los[j]);
      // the entry at j may stay when its home lies cyclically in (hole, j]
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      this.his[hole] = this.his[j];
      this.los[hole] = this.los[j];
      this.counts[hole] = this.counts[j];
      hole = j;
    }
    this.counts[hole] = 0;
    this.his[hole] = 0;
    this.los[hole] = 0;
    this.used--;
  }

  private grow(): void {
    const { his, los, counts } = this;
    const slots = counts.length * 2;
    this.his = new Uint32Array(slots);
    this.los = new Uint32Array(slots);
    this.counts = new Int32Array(slots);
    this.mask = slots - 1;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      let j = this.home(his[i], los[i]);
      while (this.counts[j] !== 0) j = (j + 1) & this.mask;
      this.his[j] = his[i];
      this.los[j] = los[i];
      this.counts[j] = counts[i];
    }
  }
}

/** The slots for `expected` prefixes: a power of two, at least MIN_CAPACITY, under MAX_LOAD. */
export function slotsFor(expected: number): number {
  let slots = MIN_CAPACITY;
  while (expected / slots > MAX_LOAD) slots *= 2;
  return slots;
}
