import { binaryArray } from './binary-array';

/** The header's five words and each element as [length, bytes…]. */
function parse(buffer: Buffer): { header: number[]; elements: (Buffer | null)[] } {
  const header = [0, 4, 8, 12, 16].slice(0, buffer.readInt32BE(0) === 0 ? 3 : 5).map((at) => buffer.readInt32BE(at));
  const elements: (Buffer | null)[] = [];
  for (let at = header.length * 4; at < buffer.length;) {
    const n = buffer.readInt32BE(at);
    at += 4;
    if (n < 0) elements.push(null);
    else elements.push(buffer.subarray(at, (at += n)));
  }
  return { header, elements };
}

describe('binaryArray (PostgreSQL binary array parameters)', () => {
  it('writes one dimension from 1, the element type, the null flag and each element as its length and UTF-8 bytes', () => {
    const text = 'a "quote", a \\ backslash, 联合奖惩';
    const { header, elements } = parse(binaryArray('text', [text, null, '']));
    expect(header).toEqual([1, 1, 25, 3, 1]);
    expect(elements.map((e) => e?.toString('utf8') ?? null)).toEqual([text, null, '']);
    expect(parse(binaryArray('text', ['x'])).header).toEqual([1, 0, 25, 1, 1]); // no nulls
  });

  it('keeps JSON text byte for byte; jsonb gets its format version first', () => {
    const json = '{"b": 1,  "a":["x\\"y"]}';
    expect(parse(binaryArray('json', [json])).elements[0]!.toString('utf8')).toBe(json);
    const [jsonb] = parse(binaryArray('jsonb', [json])).elements;
    expect(jsonb![0]).toBe(1);
    expect(jsonb!.subarray(1).toString('utf8')).toBe(json);
    expect(parse(binaryArray('jsonb', [json])).header[2]).toBe(3802);
  });

  it('writes a uuid as its 16 bytes, int4 and bool as theirs', () => {
    const id = '0A1B2C3D-4e5f-6071-8293-a4b5c6d7e8f9';
    expect(parse(binaryArray('uuid', [id])).elements[0]!.toString('hex')).toBe('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(parse(binaryArray('int4', [-2, 2147483647])).elements.map((e) => e!.readInt32BE(0))).toEqual([
      -2, 2147483647,
    ]);
    expect(parse(binaryArray('bool', [true, false])).elements.map((e) => e![0])).toEqual([1, 0]);
  });

  it('counts dates in days and times in microseconds from 2000-01-01 UTC', () => {
    expect(
      parse(binaryArray('date', ['2000-01-01', '1999-12-31', '2026-12-03'])).elements.map((e) => e!.readInt32BE(0)),
    ).toEqual([0, -1, 9833]);
    const [time, fromText] = parse(
      binaryArray('timestamptz', [new Date('2000-01-01T00:00:01.250Z'), '2000-01-01T08:00:00.001+08:00']),
    ).elements;
    expect(time!.readBigInt64BE(0)).toBe(1_250_000n);
    expect(fromText!.readBigInt64BE(0)).toBe(1000n);
    // a time's text to its microsecond, as PostgreSQL reads it (Date.parse would stop at the millisecond)
    expect(
      parse(
        binaryArray('timestamptz', [
          '2000-01-01T00:00:00.000001Z',
          '1999-12-31 23:59+0100',
          '2026-12-03T16:05:00.123456-02:30',
        ]),
      ).elements.map((e) => e!.readBigInt64BE(0)),
    ).toEqual([1n, -3_660_000_000n, (9833n * 86_400n + 66_900n) * 1_000_000n + 123_456n]); // 18:35 UTC
  });

  it('writes an empty array without dimensions', () => {
    expect(parse(binaryArray('json', [])).header).toEqual([0, 0, 114]);
  });

  it('refuses what is not of the type, before anything is sent', () => {
    expect(() => binaryArray('uuid', ['not-a-uuid'])).toThrow(TypeError);
    expect(() => binaryArray('int4', [1.5])).toThrow(TypeError);
    expect(() => binaryArray('int4', [2 ** 31])).toThrow(TypeError);
    expect(() => binaryArray('bool', ['true'])).toThrow(TypeError);
    expect(() => binaryArray('date', ['2026-02-30'])).toThrow(TypeError); // no rolling over to March
    expect(() => binaryArray('date', ['2026-12-03T00:00:00Z'])).toThrow(TypeError);
    expect(() => binaryArray('timestamptz', ['2026-12-03T08:00:00'])).toThrow(TypeError); // no zone: ambiguous
    expect(() => binaryArray('timestamptz', ['soon'])).toThrow(TypeError);
    // what PostgreSQL reads otherwise than JavaScript would, or not at all: left to PostgreSQL (see arrayParameter)
    for (const time of [
      '2026-12-03T08:00:00.1234567Z', // PostgreSQL rounds past the microsecond
      '2026-12-03T24:00:00Z',
      '2026-11-31T08:00:00Z',
      '2026-12-03T08:60:00Z',
      '2026-12-03T08:00:60Z', // a leap second: PostgreSQL rolls it over
      '2026-12-03T08:00:00+16:00',
      '2026-12-03t08:00:00z',
      '0099-12-03T08:00:00Z',
      'Thu, 03 Dec 2026 08:00:00 GMT',
      new Date(NaN),
    ])
      expect(() => binaryArray('timestamptz', [time])).toThrow(TypeError);
    expect(() => binaryArray('date', ['0099-01-01'])).toThrow(TypeError); // not 1999
    expect(() => binaryArray('json', [{ a: 1 }])).toThrow(TypeError); // JSON goes as its text, serialized once
  });
});
