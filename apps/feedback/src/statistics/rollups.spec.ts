import { CASE_MEMORANDUM_ROLLUP, CASE_ROLLUP, ENTRY_ROLLUP } from './rollups.repository';

const key = { day: '2026-11-30', organization: 'A', listType: 'red', city: '340100' };

describe('Rollup', () => {
  it('writes rows in key order, adding to the stored counters', () => {
    const params: unknown[] = [];
    const sql = CASE_MEMORANDUM_ROLLUP.add([
      { ...key, memorandum: 'm2', cases: 1 },
      { ...key, memorandum: 'm1', cases: 1 },
    ])(params);
    expect(sql!.replace(/\s+/g, ' ')).toBe(
      'INSERT INTO case_memorandum_rollup (day, memorandum, organization, list_type, city, cases) VALUES ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12)' +
        ' ON CONFLICT (day, memorandum, organization, list_type, city) DO UPDATE SET cases = case_memorandum_rollup.cases + EXCLUDED.cases',
    );
    expect(params).toEqual(['2026-11-30', 'm1', 'A', 'red', '340100', 1, '2026-11-30', 'm2', 'A', 'red', '340100', 1]);
  });

  it('sums rows with the same key and drops those that add nothing', () => {
    const params: unknown[] = [];
    const entry = { day: '2026-11-30', city: '340100', listType: 'black', subjectKind: 'legal', national: false };
    const sql = ENTRY_ROLLUP.add([
      { ...entry, entries: -1, committed: 0, trained: 0 },
      { ...entry, entries: 1, committed: 1, trained: 0 },
      { ...entry, national: true, entries: 0, committed: 0, trained: 0 },
    ])(params);
    expect(sql!.replace(/\s+/g, ' ')).toContain('VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT');
    expect(params).toEqual(['2026-11-30', '340100', 'black', 'legal', false, 0, 1, 0]);
  });

  it('writes nothing when every counter is zero', () => {
    const params: unknown[] = [];
    expect(
      CASE_ROLLUP.add([
        { ...key, cases: 1 },
        { ...key, cases: -1 },
      ])(params),
    ).toBeNull();
    expect(CASE_ROLLUP.add([])(params)).toBeNull();
    expect(params).toEqual([]);
  });

  it('numbers the parameters after those of the statements before it', () => {
    const params: unknown[] = ['x'];
    expect(CASE_ROLLUP.add([{ ...key, cases: 1 }])(params)).toContain('VALUES ($2, $3, $4, $5, $6)');
  });
});
