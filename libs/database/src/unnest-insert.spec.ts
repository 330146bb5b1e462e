import { insertStatements, Table } from './table';
import { columnTypesOf, unnestInsertStatement } from './unnest-insert';

interface Row {
  seq: string;
  id: string;
  name: string | null;
  listedAt: string;
  details: object | string | null;
}

const rows = new Table<Row>('list_entries', {
  seq: { column: 'seq', generated: true },
  id: 'id',
  name: { column: '"name"' },
  listedAt: { column: 'listed_at', read: `to_char($, 'YYYY-MM-DD')` },
  details: { column: 'details', cast: 'jsonb' },
});
const types = new Map([
  ['seq', 'int8'],
  ['id', 'uuid'],
  ['name', 'bpchar'],
  ['listed_at', 'date'],
  ['details', 'jsonb'],
]);

/** A binary array parameter's elements as the values they encode (the types of `types`), or the array sent as a literal. */
function decoded(parameter: unknown): unknown[] {
  if (!Buffer.isBuffer(parameter)) return parameter as unknown[];
  const oid = parameter.readInt32BE(8);
  const elements: unknown[] = [];
  for (let at = 20; at < parameter.length;) {
    const n = parameter.readInt32BE(at);
    at += 4;
    if (n < 0) {
      elements.push(null);
      continue;
    }
    const bytes = parameter.subarray(at, (at += n));
    if (oid === 2950) {
      const hex = bytes.toString('hex');
      elements.push(
        `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      );
    } else if (oid === 1082)
      elements.push(new Date(Date.UTC(2000, 0, 1 + bytes.readInt32BE(0))).toISOString().slice(0, 10));
    else if (oid === 3802) elements.push(bytes.subarray(1).toString('utf8'));
    else if (oid === 1184) elements.push(bytes.readBigInt64BE(0));
    else if (oid === 23) elements.push(bytes.readInt32BE(0));
    else elements.push(bytes.toString('utf8'));
  }
  return elements;
}

const A = '0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
const B = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
const C = '00000000-0000-4000-8000-000000000000';

describe('unnestInsertStatement', () => {
  const data: Row[] = [
    {
      seq: '1',
      id: A,
      name: 'tab\there, a "quote" and \\ backslash',
      listedAt: '2026-01-02',
      details: { fields: ['x'] },
    },
    { seq: '2', id: B, name: null, listedAt: '2026-01-03', details: null },
    { seq: '3', id: C, name: 'NULL', listedAt: '2026-01-04', details: '["already text"]' },
  ];

  it('sends one array a written column, typed by the column without length, generated columns left out', () => {
    const { sql, parameters } = unnestInsertStatement(rows, data, types, {
      onConflict: '(id) DO NOTHING',
      returning: 'id',
    });
    expect(sql).toBe(
      'INSERT INTO list_entries (id, "name", listed_at, details) SELECT * FROM unnest($1::uuid[], $2::bpchar[], $3::date[], $4::jsonb[])' +
        ' ON CONFLICT (id) DO NOTHING RETURNING id',
    );
    // uuid, date and jsonb in binary; bpchar, which binaryArray does not encode, as the literal
    expect(parameters.map((p) => Buffer.isBuffer(p))).toEqual([true, false, true, true]);
    expect(parameters.map(decoded)).toEqual([
      [A, B, C],
      ['tab\there, a "quote" and \\ backslash', null, 'NULL'],
      ['2026-01-02', '2026-01-03', '2026-01-04'],
      ['{"fields":["x"]}', null, '["already text"]'],
    ]);
  });

  it('writes the same columns and values as the multi-row VALUES insert', () => {
    const [values] = insertStatements(rows, data);
    const { parameters } = unnestInsertStatement(rows, data, types);
    const columns = parameters.map(decoded);
    const byRow = data.map((_, r) => columns.map((column) => column[r]));
    const valuesByRow = data.map((_, r) => values.parameters.slice(r * columns.length, (r + 1) * columns.length));
    expect(byRow).toEqual(valuesByRow); // JSON as the same text
  });

  it('sends a column as the literal when binaryArray does not read a value exactly as PostgreSQL would, or not its type', () => {
    interface Odd {
      id: unknown;
      note: unknown;
      at: unknown;
      day: unknown;
      amount: unknown;
      label: unknown;
      n: unknown;
      doc: unknown;
    }
    const odd = new Table<Odd>('odd', {
      id: 'id',
      note: 'note',
      at: 'at',
      day: 'day',
      amount: 'amount',
      label: 'label',
      n: 'n',
      doc: 'doc', // jsonb without a cast in the table: the column's type makes a JSON value its text all the same
    });
    const oddTypes = new Map([
      ['id', 'uuid'],
      ['note', 'text'],
      ['at', 'timestamptz'],
      ['day', 'date'],
      ['amount', 'numeric'],
      ['label', 'varchar'],
      ['n', 'int4'],
      ['doc', 'jsonb'],
    ]);
    const exact: Odd = {
      id: A,
      note: 'x',
      at: '2026-12-03T08:00:00.123456+08:00',
      day: '2026-12-03',
      amount: '1.5',
      label: 'y',
      n: 1,
      doc: [1, { a: 'b' }],
    };
    const { sql, parameters } = unnestInsertStatement(odd, [exact], oddTypes);
    expect(sql).toBe(
      'INSERT INTO odd (id, note, at, day, amount, label, n, doc) SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::date[], $5::numeric[], $6::varchar[], $7::int4[], $8::jsonb[])',
    );
    expect(parameters.map((p) => Buffer.isBuffer(p))).toEqual([true, true, true, true, false, false, true, true]);
    expect(decoded(parameters[2])).toEqual([(9833n * 86_400n + 0n) * 1_000_000n + 123_456n]); // to the microsecond
    expect(decoded(parameters[7])).toEqual(['[1,{"a":"b"}]']);

    // each of these goes as the literal, for PostgreSQL to read (or refuse) as before
    const literal: [keyof Odd, unknown][] = [
      ['id', '{0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9}'],
      ['id', 'not-a-uuid'],
      ['note', 42],
      ['at', '2026-12-03T08:00:00'], // no zone: the session's
      ['at', '2026-12-03T08:00:00.1234567Z'], // beyond the microsecond: PostgreSQL rounds
      ['at', '2026-12-03T24:00:00Z'],
      ['at', new Date(NaN)],
      ['day', '2026-02-30'],
      ['day', '0099-01-01'],
      ['day', new Date(0)],
      ['n', 2 ** 31],
      ['n', '7'],
    ];
    for (const [key, value] of literal) {
      const { parameters: sent } = unnestInsertStatement(odd, [exact, { ...exact, [key]: value }], oddTypes, {
        columns: [key],
      });
      expect(sent).toEqual([[exact[key], value]]);
    }
  });

  it('names a column the table does not have', () => {
    expect(() => unnestInsertStatement(rows, data, new Map([['id', 'uuid']]))).toThrow(/no column "name"/);
  });
});

describe('columnTypesOf', () => {
  it('maps each column to its type', () => {
    expect(columnTypesOf('t', [{ column: 'id', type: 'uuid', isArray: false }])).toEqual(new Map([['id', 'uuid']]));
  });

  it('refuses a table with array columns, which unnest would flatten, and a table not found', () => {
    expect(() => columnTypesOf('import_errors', [{ column: 'reasons', type: '_text', isArray: true }])).toThrow(
      /array columns \(reasons\)/,
    );
    expect(() => columnTypesOf('nothing', [])).toThrow(/not found/);
  });
});
