/**
 * Array parameters in PostgreSQL's binary format, for the `unnest` writes of many rows
 * (`unnestInsertStatement`, and statements built by hand such as the task feed's). node-postgres
 * sends a JavaScript array as an array literal: every element escaped character by character
 * (`escapeElement`) and, on PostgreSQL's side, read back character by character before each element's
 * own input function runs — for a feed row's 1 KB of task JSON, per row, the largest cost of the write
 * on both sides. A `Buffer` parameter goes as is, in binary: here each element is its length and its
 * bytes (UTF-8 text, the UUID's 16 bytes, the integer's 4), which PostgreSQL takes without parsing. The
 * values stored are the same as through the literal: text and JSON byte for byte (`json` keeps its text,
 * and is validated as JSON; `jsonb` is parsed as before), dates and times to the same microsecond.
 */

/** The element types encoded here, by the name a statement casts its parameter to (`$1::uuid[]`). */
export type BinaryArrayType = 'text' | 'json' | 'jsonb' | 'uuid' | 'int4' | 'bool' | 'date' | 'timestamptz';

/** Each element type's oid, which the array's header must name (PostgreSQL checks it against the cast). */
const OID: { readonly [T in BinaryArrayType]: number } = {
  text: 25,
  json: 114,
  jsonb: 3802,
  uuid: 2950,
  int4: 23,
  bool: 16,
  date: 1082,
  timestamptz: 1184,
};

/** Whether `binaryArray` encodes arrays of `type` (a `pg_type.typname`, as `ColumnTypes` has it). */
export function isBinaryArrayType(type: string): type is BinaryArrayType {
  return Object.prototype.hasOwnProperty.call(OID, type);
}

/** The epoch of PostgreSQL's dates and times, 2000-01-01 UTC, in ms since 1970. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * A time's text: ISO 8601, to the microsecond at most, naming its zone (`Z`, `+08:00`; JavaScript and
 * PostgreSQL read a bare one differently). Anything else is refused, not guessed: PostgreSQL reads more
 * forms than this, JavaScript's `Date.parse` others, and neither keeps what the other would.
 */
const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** Days from 2000-01-01 of a `YYYY-MM-DD` date; NaN when it is not a real date. */
function daysOf(text: string): number {
  const m = DATE.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC rolls an impossible day over (02-30 → 03-02), and reads years below 100 as 19xx: only a
  // date that reads back the same is one
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return NaN;
  return (ms - PG_EPOCH_MS) / DAY_MS;
}

/** Microseconds from 2000-01-01 UTC of a time (a Date, or `TIME` text, exact to its microsecond). */
function microsOf(value: unknown): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new TypeError('not a time: an invalid Date');
    return BigInt(ms - PG_EPOCH_MS) * 1000n;
  }
  const m = typeof value === 'string' ? TIME.exec(value) : null;
  if (!m) throw new TypeError(`not a time: ${String(value)}`);
  const [, date, h, min, s = '0', fraction = '', sign, zoneH = '0', zoneMin = '0'] = m;
  const days = daysOf(date);
  const offset = (sign === '-' ? -1 : 1) * (Number(zoneH) * 3600 + Number(zoneMin) * 60);
  if (
    Number.isNaN(days) ||
    Number(h) > 23 ||
    Number(min) > 59 ||
    Number(s) > 59 ||
    Number(zoneH) > 15 ||
    Number(zoneMin) > 59
  )
    throw new TypeError(`not a time: ${String(value)}`);
  const seconds = days * 86_400 + Number(h) * 3600 + Number(min) * 60 + Number(s) - offset;
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}

/** The size of one element's bytes (without its length word). */
function sizeOf(type: BinaryArrayType, value: unknown): number {
  switch (type) {
    case 'text':
    case 'json':
      return Buffer.byteLength(textOf(type, value));
    case 'jsonb':
      return 1 + Buffer.byteLength(textOf(type, value)); // the format's version byte first
    case 'uuid':
      return 16;
    case 'int4':
    case 'date':
      return 4;
    case 'bool':
      return 1;
    case 'timestamptz':
      return 8;
  }
}

/** Text and JSON go as the caller's string (JSON already serialized, as it is stored). */
function textOf(type: BinaryArrayType, value: unknown): string {
  if (typeof value === 'string') return value;
  throw new TypeError(`not ${type === 'text' ? 'a text' : 'JSON text'}: ${typeof value}`);
}

/** Writes one element's bytes at `at`; returns the offset after them. */
function write(buffer: Buffer, at: number, type: BinaryArrayType, value: unknown): number {
  switch (type) {
    case 'text':
    case 'json':
      return at + buffer.write(textOf(type, value), at, 'utf8');
    case 'jsonb':
      buffer[at] = 1;
      return at + 1 + buffer.write(textOf(type, value), at + 1, 'utf8');
    case 'uuid': {
      if (typeof value !== 'string' || !UUID.test(value)) throw new TypeError(`not a uuid: ${String(value)}`);
      buffer.write(value.slice(0, 8), at, 'hex');
      buffer.write(value.slice(9, 13), at + 4, 'hex');
      buffer.write(value.slice(14, 18), at + 6, 'hex');
      buffer.write(value.slice(19, 23), at + 8, 'hex');
      buffer.write(value.slice(24), at + 10, 'hex');
      return at + 16;
    }
    case 'int4':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31)
        throw new TypeError(`not an int4: ${String(value)}`);
      return buffer.writeInt32BE(value, at);
    case 'bool':
      if (typeof value !== 'boolean') throw new TypeError(`not a boolean: ${String(value)}`);
      buffer[at] = value ? 1 : 0;
      return at + 1;
    case 'date': {
      const days = typeof value === 'string' ? daysOf(value) : NaN;
      if (Number.isNaN(days)) throw new TypeError(`not a date: ${String(value)}`);
      return buffer.writeInt32BE(days, at);
    }
    case 'timestamptz':
      return buffer.writeBigInt64BE(microsOf(value), at);
  }
}

/**
 * A one-dimensional array of `type` in PostgreSQL's binary format, to pass as the parameter of a
 * statement that casts it to that array type (`$1::json[]`); null and undefined elements are NULL.
 * Throws a TypeError on a value that is not of the type (before anything is sent).
 */
export function binaryArray(type: BinaryArrayType, values: readonly unknown[]): Buffer {
  if (values.length === 0) {
    const empty = Buffer.alloc(12); // no dimensions, no nulls, the element type: an empty array
    empty.writeInt32BE(OID[type], 8);
    return empty;
  }
  let size = 20; // dimensions, null flag, element type, then the one dimension's length and lower bound
  let nulls = 0;
  for (const value of values) {
    size += 4;
    if (value === null || value === undefined) nulls = 1;
    else size += sizeOf(type, value);
  }
  const buffer = Buffer.allocUnsafe(size);
  buffer.writeInt32BE(1, 0);
  buffer.writeInt32BE(nulls, 4);
  buffer.writeInt32BE(OID[type], 8);
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16);
  let at = 20;
  for (const value of values) {
    if (value === null || value === undefined) {
      at = buffer.writeInt32BE(-1, at);
      continue;
    }
    const start = at + 4;
    const end = write(buffer, start, type, value);
    buffer.writeInt32BE(end - start, at);
    at = end;
  }
  if (at !== size) throw new Error(`binary array of ${type}: wrote ${at} of ${size} bytes`);
  return buffer;
}
