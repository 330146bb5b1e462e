import { DataSource } from 'typeorm';
import { binaryArray, BinaryArrayType } from '@jrp/database';

/**
 * Binary array parameters on a real PostgreSQL: each type reads back exactly as the same values sent as
 * an array literal (node-postgres's way) do, NULLs and awkward text included, and JSON keeps its text.
 */
describe('binaryArray on PostgreSQL', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource({ type: 'postgres', name: 'binary-array', url: process.env.DATABASE_URL, poolSize: 1 });
    await db.initialize();
  });

  afterAll(() => db.destroy());

  /** Each element as PostgreSQL prints it, from the binary parameter and from the literal. */
  const both = async (type: BinaryArrayType, values: unknown[]) => {
    const read = (parameter: unknown) =>
      db
        .query<{ v: string | null }[]>(
          `SELECT v::text AS v FROM unnest($1::${type}[]) WITH ORDINALITY AS x(v, i) ORDER BY i`,
          [parameter],
        )
        .then((rows) => rows.map((r) => r.v));
    return { binary: await read(binaryArray(type, values)), literal: await read(values) };
  };

  it.each<[BinaryArrayType, unknown[]]>([
    ['text', ['plain', 'a "quote", a \\ backslash, {braces}, commas', '联合奖惩 😀', '', 'NULL', null, ' spaced ']],
    ['json', ['{"b": 1,  "a":["x\\"y", "联合"]}', '"a string"', '[]', null]],
    ['jsonb', ['{"b": 1,  "a":["x\\"y", "联合"]}', '{"nested":{"n":1.50}}', null]],
    ['uuid', ['0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9', 'FFFFFFFF-FFFF-4FFF-8FFF-FFFFFFFFFFFF', null]],
    ['int4', [0, -1, 2147483647, -2147483648, null]],
    ['bool', [true, false, null]],
    ['date', ['2026-12-03', '1999-12-31', '2000-02-29', null]],
    [
      'timestamptz',
      [new Date('2026-12-03T16:05:00.123Z'), '2026-12-03T08:00:00.001+08:00', '1970-01-01T00:00:00Z', null],
    ],
  ])('%s reads back as the literal does', async (type, values) => {
    const { binary, literal } = await both(type, values);
    expect(binary).toEqual(literal);
    expect(binary).toHaveLength(values.length);
  });

  it('stores a json text byte for byte', async () => {
    const text = '{"b": 1,  "a":["x\\"y"],\n "c": "联合"}';
    const [{ v }] = await db.query<{ v: string }[]>(`SELECT v::text AS v FROM unnest($1::json[]) AS x(v)`, [
      binaryArray('json', [text]),
    ]);
    expect(v).toBe(text);
  });

  it('is validated as its type: invalid JSON fails as through the literal', async () => {
    await expect(db.query(`SELECT unnest($1::json[])`, [binaryArray('json', ['{"open": '])])).rejects.toThrow(/json/i);
  });

  it('reads an empty array as empty', async () => {
    expect(await db.query(`SELECT unnest($1::json[]) AS v`, [binaryArray('json', [])])).toEqual([]);
  });
});
