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

describe('unnestInsertStatement', () => {
  const data: Row[] = [
    {
      seq: '1',
      id: 'a',
      name: 'tab\there, a "quote" and \\ backslash',
      listedAt: '2026-01-02',
      details: { fields: ['x'] },
    },
    { seq: '2', id: 'b', name: null, listedAt: '2026-01-03', details: null },
    { seq: '3', id: 'c', name: 'NULL', listedAt: '2026-01-04', details: '["already text"]' },
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
    expect(parameters).toEqual([
      ['a', 'b', 'c'],
      ['tab\there, a "quote" and \\ backslash', null, 'NULL'],
      ['2026-01-02', '2026-01-03', '2026-01-04'],
      ['{"fields":["x"]}', null, '["already text"]'],
    ]);
  });

  it('writes the same columns and values as the multi-row VALUES insert', () => {
    const [values] = insertStatements(rows, data);
    const { parameters } = unnestInsertStatement(rows, data, types);
    const columns = parameters.length;
    const byRow = data.map((_, r) => parameters.map((column) => column[r]));
    const valuesByRow = data.map((_, r) => values.parameters.slice(r * columns, (r + 1) * columns));
    // the VALUES statement sends JSON objects as objects (node-postgres serialises them): the same text
    expect(byRow).toEqual(
      valuesByRow.map((row) => row.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v))),
    );
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
