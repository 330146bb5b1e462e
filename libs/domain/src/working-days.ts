/**
 * Working days (工作日) under the State Council's holiday schedule (国务院办公厅关于部分节假日安排的通知):
 * Monday–Friday, except statutory holidays that fall on weekdays, plus make-up workdays (调休上班)
 * that fall on Saturdays or Sundays.
 *
 * Dates are calendar dates in Asia/Shanghai written 'YYYY-MM-DD'. All arithmetic is done on UTC
 * day numbers derived from those strings, so nothing here depends on the machine's timezone.
 */

export type DayKind = 'workday' | 'holiday';

/** An exception to the Monday–Friday rule. */
export interface CalendarOverride {
  date: string;
  kind: DayKind;
  name?: string;
}

const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real 'YYYY-MM-DD' date; throws RangeError otherwise. */
function dayNumber(date: string): number {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const t = Date.UTC(y, m - 1, d);
    const check = new Date(t);
    if (check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d) return t / DAY_MS;
  }
  throw new RangeError(`not a calendar date (YYYY-MM-DD): ${String(date)}`);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** True when `date` is a real 'YYYY-MM-DD' calendar date. */
export function isCalendarDate(date: string): boolean {
  try {
    dayNumber(date);
    return true;
  } catch {
    return false;
  }
}

export class WorkingDayCalendar {
  private readonly overrides = new Map<number, CalendarOverride>();
  private readonly years: ReadonlySet<number>;

  /**
   * @param overrides exceptions to the Monday–Friday rule (a date may appear once)
   * @param coveredYears years whose holiday schedule the overrides completely describe
   */
  constructor(overrides: Iterable<CalendarOverride>, coveredYears: Iterable<number>) {
    for (const o of overrides) {
      if (o.kind !== 'workday' && o.kind !== 'holiday')
        throw new RangeError(`unknown day kind for ${o.date}: ${String(o.kind)}`);
      const day = dayNumber(o.date);
      const existing = this.overrides.get(day);
      if (existing && existing.kind !== o.kind) throw new RangeError(`conflicting overrides for ${o.date}`);
      this.overrides.set(day, { ...o });
    }
    this.years = new Set(coveredYears);
  }

  /** Whether the holiday schedule of `year` is known (otherwise only the Monday–Friday rule applies). */
  covers(year: number): boolean {
    return this.years.has(year);
  }

  /** The override for a date, if any. */
  overrideFor(date: string): CalendarOverride | undefined {
    const o = this.overrides.get(dayNumber(date));
    return o && { ...o };
  }

  isWorkday(date: string): boolean {
    return this.isWorkdayNumber(dayNumber(date));
  }

  /** The date `n` working days after `date` (n ≥ 1; `date` itself is not counted). */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer ≥ 1, got ${n}`);
    let day = dayNumber(date);
    let remaining = n;
    // Guard against an override set that leaves no working days at all.
    const limit = day + n * 7 + 3660;
    while (remaining > 0) {
      day += 1;
      if (day > limit) throw new RangeError(`no ${n} working days found after ${date}`);
      if (this.isWorkdayNumber(day)) remaining -= 1;
    }
    return dateOf(day);
  }

  /** Working days strictly after `from` up to and including `to` (0 when to <= from). */
  workingDaysBetween(from: string, to: string): number {
    const start = dayNumber(from);
    const end = dayNumber(to);
    let count = 0;
    for (let day = start + 1; day <= end; day++) if (this.isWorkdayNumber(day)) count += 1;
    return count;
  }

  private isWorkdayNumber(day: number): boolean {
    const o = this.overrides.get(day);
    if (o) return o.kind === 'workday';
    const weekday = weekdayOf(day);
    return weekday >= 1 && weekday <= 5;
  }
}

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** "Spring Festival,春节,4" → "春节". */
function chineseName(label: string): string {
  const parts = label.split(',');
  return (parts.length >= 2 ? parts[1] : label).trim();
}

/**
 * Overrides for the given years from the maintained `chinese-days` package: statutory holidays
 * that fall on weekdays and make-up workdays on weekends. A year counts as covered when the
 * package has its schedule (holiday entries for both 春节 and 国庆节, which every published
 * schedule contains); years it does not know are absent from `years` — callers check `covers`.
 *
 * The data is read from the package's published JSON (`chinese-days/dist/chinese-days.json`, the
 * same tables its isWorkday/getDayDetail use) rather than through those functions: in 1.5.7 they
 * build and look up their tables in the process's local timezone and give wrong answers west of
 * UTC (with TZ=America/Los_Angeles, isWorkday('2026-03-07'), a Saturday, returns true).
 */
export function overridesFromLibrary(years: number[]): { overrides: CalendarOverride[]; years: number[] } {
  // read on demand (a large table, needed only when a year is imported), hence require rather than import
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const wanted = new Set(years);
  const found = new Map<number, Set<string>>();
  const overrides: CalendarOverride[] = [];

  for (const [date, label] of Object.entries(data.holidays)) {
    const day = dayNumber(date);
    const year = Number(date.slice(0, 4));
    if (!wanted.has(year)) continue;
    const name = chineseName(label);
    if (!found.has(year)) found.set(year, new Set());
    found.get(year)!.add(name);
    const weekday = weekdayOf(day);
    if (weekday >= 1 && weekday <= 5) overrides.push({ date, kind: 'holiday', name });
  }
  const covered = [...found].filter(([, names]) => names.has('春节') && names.has('国庆节')).map(([year]) => year);
  const coveredSet = new Set(covered);

  for (const [date, label] of Object.entries(data.workdays)) {
    const day = dayNumber(date);
    if (!coveredSet.has(Number(date.slice(0, 4)))) continue;
    if (data.holidays[date]) throw new Error(`chinese-days lists ${date} both as a holiday and as a workday`);
    const weekday = weekdayOf(day);
    if (weekday === 0 || weekday === 6)
      overrides.push({ date, kind: 'workday', name: `${chineseName(label)}调休上班` });
  }

  return {
    overrides: overrides
      .filter((o) => coveredSet.has(Number(o.date.slice(0, 4))))
      .sort((a, b) => a.date.localeCompare(b.date)),
    years: covered.sort((a, b) => a - b),
  };
}

/** Today's date in Asia/Shanghai as 'YYYY-MM-DD'. */
export function todayInShanghai(now: Date = new Date()): string {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last millisecond of `date` in Asia/Shanghai: '2026-02-24' → 2026-02-24T23:59:59.999+08:00. */
export function endOfDayShanghai(date: string): Date {
  return new Date((dayNumber(date) + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}
