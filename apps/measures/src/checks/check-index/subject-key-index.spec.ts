import { createHash } from 'node:crypto';
import { prefixOf, slotsFor, SubjectKeyIndex } from './subject-key-index';

type Op = ['add', number, number, number] | ['expect', number, number, number];

/** A key's first 64 bits as a keyed hash would give them (uniform). */
const keyOf = (n: number) => createHash('sha256').update(String(n)).digest('hex');

describe('prefixOf', () => {
  it.each<[string, string, { hi: number; lo: number } | null]>([
    ['a 64-hex key', 'ffffffff00000001' + 'ab'.repeat(24), { hi: 0xffffffff, lo: 1 }],
    ['upper case hex', 'ABCDEF0123456789', { hi: 0xabcdef01, lo: 0x23456789 }],
    ['exactly 16 characters', '0000000000000000', { hi: 0, lo: 0 }],
    ['too short', '0123456789abcde', null],
    ['not hex', '0123456789abcdeg0000', null],
    ['empty', '', null],
  ])('%s', (_, key, expected) => {
    expect(prefixOf(key)).toEqual(expected);
  });
});

describe('SubjectKeyIndex', () => {
  it.each<[string, Op[]]>([
    [
      'an added prefix is present with its count',
      [
        ['add', 1, 2, 1],
        ['expect', 1, 2, 1],
        ['expect', 2, 1, 0],
      ],
    ],
    [
      'counts add up',
      [
        ['add', 1, 2, 1],
        ['add', 1, 2, 2],
        ['expect', 1, 2, 3],
      ],
    ],
    [
      'a count back to zero frees the prefix',
      [
        ['add', 1, 2, 2],
        ['add', 1, 2, -2],
        ['expect', 1, 2, 0],
      ],
    ],
    [
      'a net zero change is nothing',
      [
        ['add', 1, 2, 0],
        ['expect', 1, 2, 0],
      ],
    ],
    [
      'a negative count stays present (a database read, never a miss)',
      [
        ['add', 1, 2, -1],
        ['expect', 1, 2, -1],
      ],
    ],
    [
      'the halves are unsigned',
      [
        ['add', -1, -1, 1],
        ['expect', 0xffffffff, 0xffffffff, 1],
      ],
    ],
    [
      'the zero prefix is a prefix like any other',
      [
        ['add', 0, 0, 1],
        ['expect', 0, 0, 1],
        ['expect', 0, 1, 0],
      ],
    ],
    [
      'prefixes that share one half are distinct',
      [
        ['add', 7, 1, 1],
        ['add', 8, 1, 1],
        ['add', 7, 2, 1],
        ['add', 8, 1, -1],
        ['expect', 7, 1, 1],
        ['expect', 8, 1, 0],
        ['expect', 7, 2, 1],
      ],
    ],
  ])('%s', (_, ops) => {
    const index = new SubjectKeyIndex();
    for (const [op, hi, lo, n] of ops) {
      if (op === 'add') index.add(hi, lo, n);
      else {
        expect(index.count(hi, lo)).toBe(n);
        expect(index.has(hi, lo)).toBe(n !== 0);
      }
    }
  });

  it('keeps every prefix findable when removals shift the ones that collided into their slots', () => {
    // 900 prefixes in 1,024 slots is not allowed (it grows), so collide on purpose: the same slots, found by probing
    const index = new SubjectKeyIndex();
    const live = new Map<string, [number, number]>();
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 20_000; round++) {
      const hi = next() % 64; // few distinct values: long probe runs, wrap-arounds and shifts
      const lo = next() % 64;
      const key = `${hi}:${lo}`;
      if (live.has(key) && next() % 2 === 0) {
        index.add(hi, lo, -1);
        live.delete(key);
      } else if (!live.has(key)) {
        index.add(hi, lo, 1);
        live.set(key, [hi, lo]);
      }
    }
    expect(index.size).toBe(live.size);
    for (let hi = 0; hi < 64; hi++)
      for (let lo = 0; lo < 64; lo++) expect(index.has(hi, lo)).toBe(live.has(`${hi}:${lo}`));
  });

  it('grows past 70 % full and keeps every count', () => {
    const index = new SubjectKeyIndex();
    expect(index.capacity).toBe(1024);
    for (let n = 0; n < 10_000; n++) {
      const p = prefixOf(keyOf(n))!;
      index.add(p.hi, p.lo, 1 + (n % 3));
    }
    expect(index.size).toBe(10_000);
    expect(index.capacity).toBe(16_384);
    expect(index.bytes).toBe(16_384 * 12);
    for (let n = 0; n < 10_000; n++) {
      const p = prefixOf(keyOf(n))!;
      expect(index.count(p.hi, p.lo)).toBe(1 + (n % 3));
    }
    expect(index.has(prefixOf(keyOf(10_001))!.hi, prefixOf(keyOf(10_001))!.lo)).toBe(false);
  });

  it.each([
    [0, 1024],
    [716, 1024],
    [717, 2048],
    [1_000_000, 2_097_152],
  ])('sizes a table for %i prefixes at %i slots', (expected, slots) => {
    expect(slotsFor(expected)).toBe(slots);
  });
});
