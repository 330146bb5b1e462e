import { DataSource } from 'typeorm';
import { DatabaseRepository, inTransaction, Table } from '@jrp/database';
import { uniquePrefix } from '@jrp/testing';

interface Probe {
  seq?: string;
  id: unknown;
  code: unknown;
  label: unknown;
  note: unknown;
  n: unknown;
  big: unknown;
  flag: unknown;
  day: unknown;
  at: unknown;
  amount: unknown;
  doc: unknown;
  raw: unknown;
}

/** Writes the same rows both ways: a multi-row VALUES insert (`insertRows`) and `insertUnnested`. */
class ProbeRepository extends DatabaseRepository {
  constructor(
    dataSource: DataSource,
    private readonly table: Table<Probe>,
  ) {
    super(dataSource);
  }

  values(rows: Probe[]) {
    return inTransaction(this.dataSource, () => this.insertRows(this.table, rows));
  }

  unnested(rows: Probe[]) {
    return inTransaction(this.dataSource, () => this.insertUnnested(this.table, rows));
  }
}

/**
 * `insertUnnested` on a real PostgreSQL, its arrays in binary where `binaryArray` encodes them and as
 * literals otherwise: every column stores what the multi-row VALUES insert stores, and a bad value fails
 * with the same error, whichever way its column went.
 */
describe('insertUnnested on PostgreSQL', () => {
  const schema = `${uniquePrefix('unnest')}probe`;
  let db: DataSource;
  let probes: ProbeRepository;

  const row = (id: string, values: Partial<Probe> = {}): Probe => ({
    id,
    code: 'AB12',
    label: 'label',
    note: 'note',
    n: 1,
    big: '9007199254740993',
    flag: true,
    day: '2026-12-03',
    at: new Date('2026-12-03T08:00:00.123Z'),
    amount: '12.5',
    doc: { a: 1 },
    raw: '{"b": 1,  "a": 2}',
    ...values,
  });

  /** Each stored row's columns as PostgreSQL prints them (char(6) with its padding), by id. */
  const stored = async () =>
    db.query<Record<string, string | null>[]>(
      `SELECT id::text, code, label::text, note::text, n::text, big::text, flag::text, day::text, at::text,
              amount::text, doc::text, raw::text
       FROM "${schema}".probe ORDER BY id`,
    );

  beforeAll(async () => {
    db = new DataSource({ type: 'postgres', name: 'unnest-insert', url: process.env.DATABASE_URL, poolSize: 2 });
    await db.initialize();
    await db.query(`CREATE SCHEMA "${schema}"`);
    await db.query(`CREATE TABLE "${schema}".probe (
      seq bigserial,
      id uuid PRIMARY KEY,
      code char(6),
      label varchar(10),
      note text,
      n int,
      big bigint,
      flag boolean,
      day date,
      at timestamptz,
      amount numeric(18, 2),
      doc jsonb,
      raw json
    )`);
    const table = new Table<Probe>(`"${schema}".probe`, {
      seq: { column: 'seq', generated: true },
      id: 'id',
      code: 'code',
      label: 'label',
      note: 'note',
      n: 'n',
      big: 'big',
      flag: 'flag',
      day: 'day',
      at: 'at',
      amount: 'amount',
      doc: { column: 'doc', cast: 'jsonb' },
      raw: { column: 'raw', cast: 'json' },
    });
    probes = new ProbeRepository(db, table);
  });

  afterAll(async () => {
    await db.query(`DROP SCHEMA "${schema}" CASCADE`);
    await db.destroy();
  });

  beforeEach(() => db.query(`TRUNCATE "${schema}".probe`));

  it('stores what the VALUES insert stores, column by column, binary and literal alike', async () => {
    const rows = [
      row('0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9'),
      row('FFFFFFFF-FFFF-4FFF-8FFF-FFFFFFFFFFFF', {
        code: 'ab', // padded by char(6)
        label: 'a "quote"',
        note: 'a "quote", a \\ backslash, {braces}, commas, 联合奖惩 😀',
        n: -2147483648,
        flag: false,
        day: '2000-02-29',
        at: '2026-12-03T08:00:00.123456+08:00', // to the microsecond
        amount: '120000.555', // rounded by numeric(18, 2)
        doc: [1, { nested: 'x' }],
        raw: '[]',
      }),
      row('{00000000-0000-4000-8000-000000000001}', {
        // what binaryArray leaves to the literal: a uuid in braces, a number in a text column, a bare time, a Date for a day
        note: 42,
        at: '2026-12-03 08:00:00',
        day: new Date('2026-12-03T12:00:00Z'),
        n: '7',
      }),
      row('00000000-0000-4000-8000-000000000002', {
        code: null,
        label: null,
        note: null,
        n: null,
        big: null,
        flag: null,
        day: null,
        at: null,
        amount: null,
        doc: null,
        raw: null,
      }),
      row('00000000-0000-4000-8000-000000000003', { note: '', label: 'NULL', raw: '"a string"', doc: '{"as":"text"}' }),
    ];
    await probes.values(rows);
    const byValues = await stored();
    await db.query(`TRUNCATE "${schema}".probe`);
    await probes.unnested(rows);
    const byUnnest = await stored();
    expect(byUnnest).toEqual(byValues);
    expect(byUnnest).toHaveLength(rows.length);
    expect(byUnnest.find((r) => r.id === 'ffffffff-ffff-4fff-8fff-ffffffffffff')).toMatchObject({
      code: 'ab    ',
      at: expect.stringMatching(/\.123456/),
      amount: '120000.56',
      raw: '[]',
    });
    expect(byUnnest[0].raw).toBe('{"b": 1,  "a": 2}'); // json keeps its text
  });

  it.each<[string, Partial<Probe>]>([
    ['a text too long for char(6)', { code: 'ABCDEFG' }],
    ['a text too long for varchar(10)', { label: 'ABCDEFGHIJK' }],
    ['an amount beyond numeric(18, 2)', { amount: '12345678901234567' }],
    ['an impossible date', { day: '2026-02-30' }],
    ['a time out of range', { at: '2026-12-03T25:00:00Z' }],
    ['not a uuid', { id: 'not-a-uuid' }],
    ['an int beyond int4', { n: 2 ** 31 }],
    ['invalid JSON', { doc: '{"open": ' }],
    ['invalid json', { raw: '{"open": ' }],
    ['a NUL in a text', { note: 'a\u0000b' }],
  ])('fails on %s with the error of the VALUES insert', async (_, values) => {
    const rows = [row('00000000-0000-4000-8000-000000000010'), row('00000000-0000-4000-8000-000000000011', values)];
    const byValues = await probes.values(rows).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    const byUnnest = await probes.unnested(rows).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    expect(byValues).not.toBe('no error');
    expect(byUnnest).toBe(byValues);
    expect(await stored()).toEqual([]);
  });
});
