import { applyUntilOf, measureApplyUntil } from './term';

describe('a measure’s term: its last day (inclusive)', () => {
  it.each([
    ['2023-11-01', 36, '2026-10-31'],
    ['2023-11-02', 36, '2026-11-01'],
    ['2024-01-31', 1, '2024-02-29'], // leap year: month end
    ['2023-01-31', 1, '2023-02-28'], // common year: month end
    ['2024-01-30', 1, '2024-02-29'],
    ['2024-01-29', 1, '2024-02-28'],
    ['2024-03-31', 1, '2024-04-30'],
    ['2024-03-01', 1, '2024-03-31'],
    ['2024-01-01', 12, '2024-12-31'],
    ['2024-12-15', 1, '2025-01-14'],
    ['2024-12-01', 1, '2024-12-31'],
    ['2024-02-29', 12, '2025-02-28'], // no 29 February in 2025
    ['2024-02-29', 48, '2028-02-28'], // 2028-02-29 exists: the day before
    ['2025-08-31', 6, '2026-02-28'],
    ['2023-02-28', 12, '2024-02-27'],
    ['2022-03-01', 24, '2024-02-29'], // the 1st: the month before's last day, a leap February
    ['2020-06-15', 120, '2030-06-14'],
  ])('%s + %i months → %s', (start, months, until) => {
    expect(applyUntilOf(start, months)).toBe(until);
  });

  it.each([
    ['2024-13-01', 1],
    ['2024-01-01', 0],
    ['2024-01-01', 1.5],
    ['20240101', 1],
  ])('refuses %s + %s', (start, months) => {
    expect(() => applyUntilOf(start, months)).toThrow(RangeError);
  });

  it.each([
    [{ termMonths: null, termFrom: null }, '2023-11-01', null],
    [{}, '2023-11-01', null],
    [{ termMonths: 36, termFrom: 'listing' as const }, '2023-11-01', '2026-10-31'],
    [{ termMonths: 36, termFrom: 'decision' as const }, '2023-11-01', '2026-10-31'],
    [{ termMonths: 36, termFrom: 'listing' as const }, undefined, null],
  ])('measure %j listed %s → %s', (measure, listedAt, until) => {
    expect(measureApplyUntil(measure, listedAt)).toBe(until);
  });
});
