import { insertStatements, Table } from './table';

interface Row {
  seq: string;
  id: string;
  listType: string;
  listedAt: string;
  commitment: object | null;
}

const entries = new Table<Row>('list_entries', {
  seq: { column: 'seq', generated: true },
  id: 'id',
  listType: 'list_type',
  listedAt: { column: 'listed_at', read: `to_char($, 'YYYY-MM-DD')`, cast: 'date' },
  commitment: { column: 'commitment', cast: 'jsonb' },
});

const row = (n: number): Row => ({
  seq: '0',
  id: `id-${n}`,
  listType: 'AH-TAX',
  listedAt: '2026-01-02',
  commitment: null,
});

describe('Table', () => {
  it('selects every property under its own name, read expressions applied, with or without an alias', () => {
    expect(entries.selectList()).toBe(
      `seq, id, list_type AS "listType", to_char(listed_at, 'YYYY-MM-DD') AS "listedAt", commitment`,
    );
    expect(entries.selectList('e')).toBe(
      `e.seq AS "seq", e.id AS "id", e.list_type AS "listType", to_char(e.listed_at, 'YYYY-MM-DD') AS "listedAt", e.commitment AS "commitment"`,
    );
    expect(entries.selectList('e', ['id', 'listedAt'])).toBe(
      `e.id AS "id", to_char(e.listed_at, 'YYYY-MM-DD') AS "listedAt"`,
    );
  });

  it('writes every column but the generated ones, with their casts; null for a missing value', () => {
    const [statement] = insertStatements(entries, [row(1), { ...row(2), commitment: { at: 'x' } }], {
      onConflict: '(id) DO NOTHING',
      returning: 'id',
    });
    expect(statement.sql).toBe(
      'INSERT INTO list_entries (id, list_type, listed_at, commitment) VALUES ($1, $2, $3::date, $4::jsonb), ' +
        '($5, $6, $7::date, $8::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id',
    );
    expect(statement.parameters).toEqual([
      'id-1',
      'AH-TAX',
      '2026-01-02',
      null,
      'id-2',
      'AH-TAX',
      '2026-01-02',
      '{"at":"x"}', // JSON as its text
    ]);
  });

  it('binds one row into a hand-written statement: numbered on from the parameters there, cast, JSON as its text', () => {
    const params: unknown[] = ['before'];
    expect(entries.bind({ ...row(1), commitment: ['a', { b: 1 }] }, params)).toBe('$2, $3, $4::date, $5::jsonb');
    expect(entries.bind(row(2), params, ['id', 'commitment'])).toBe('$6, $7::jsonb');
    expect(params).toEqual(['before', 'id-1', 'AH-TAX', '2026-01-02', '["a",{"b":1}]', 'id-2', null]);
    // JSON text already serialized goes as it is
    const text: unknown[] = [];
    entries.bind({ ...row(3), commitment: '{"as":"written"}' as unknown as object }, text, ['commitment']);
    expect(text).toEqual(['{"as":"written"}']);
  });

  it('writes only the columns asked for', () => {
    const [statement] = insertStatements(entries, [row(1)], { columns: ['listType', 'id'] });
    expect(statement.sql).toBe('INSERT INTO list_entries (id, list_type) VALUES ($1, $2)');
  });

  it('splits rows into statements of at most 1,000 rows and 65,535 parameters', () => {
    expect(
      insertStatements(
        entries,
        Array.from({ length: 2_500 }, (_, n) => row(n)),
      ).map((s) => s.parameters.length),
    ).toEqual([4_000, 4_000, 2_000]);
    const wide = new Table<Record<string, string>>(
      'wide',
      Object.fromEntries(Array.from({ length: 100 }, (_, n) => [`c${n}`, `c${n}`])),
    );
    const rows = Array.from({ length: 1_000 }, () =>
      Object.fromEntries(Array.from({ length: 100 }, (_, n) => [`c${n}`, 'v'])),
    );
    const statements = insertStatements(wide, rows);
    expect(statements.map((s) => s.parameters.length)).toEqual([65_500, 34_500]);
    expect(insertStatements(entries, [])).toEqual([]);
    // more rows a statement when asked, never past the parameter limit (4 parameters a row here)
    const many = Array.from({ length: 20_000 }, (_, n) => row(n));
    expect(insertStatements(entries, many, { rowsPerStatement: 4_000 }).map((s) => s.parameters.length / 4)).toEqual([
      4_000, 4_000, 4_000, 4_000, 4_000,
    ]);
    expect(insertStatements(entries, many, { rowsPerStatement: 50_000 }).map((s) => s.parameters.length / 4)).toEqual([
      16_383, 3_617,
    ]);
  });
});
