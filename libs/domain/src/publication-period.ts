import type { Grade, GradeRuleData } from '@jrp/contracts';
import { isCalendarDate, WorkingDayCalendar } from './working-days';

/**
 * The publication dates of a graded entry (信用修复管理办法, 国家发展改革委令2025年第36号: 轻微 at most 3
 * months; 一般 3 months to 1 year; 严重 1 to 3 years; a longer period set by law prevails — the list
 * type's rule set then says so). Periods are counted as the Civil Code counts them (民法典 第二百零一条、
 * 第二百零二条): from the day after `listedAt`; a period of n months ends on the corresponding day of the
 * n-th month, or on that month's last day when it has no such day.
 *
 * - `publicUntil`: the last day the entry is published, the end of the grade's maximum period; the
 *   entry's own `validUntil` ends it earlier, never later (a longer period needs a legal basis, which the
 *   rule set records). Not moved for holidays: a maximum binds the publisher, and no one has to act on it.
 * - `repairableFrom`: the first day the subject may be repaired: `listedAt` when the grade has no minimum,
 *   else the first working day after the minimum period (an application is received and decided on
 *   working days; a period ending on a holiday runs on to the next working day, 民法典 第二百零三条).
 */
export interface PublicationDates {
  grade: Grade | null;
  /** Last day published (inclusive, Asia/Shanghai); null: not graded, publication follows the status. */
  publicUntil: string | null;
  /** First day a repair step or application is accepted; null: not graded, no waiting period. */
  repairableFrom: string | null;
}

export interface PublicationInput {
  listedAt: string;
  validUntil: string | null;
  /** The grade the publisher names; absent: the list type's default. */
  grade?: Grade | null;
  /** The list type's grades (empty: the list type does not grade its entries). */
  grades: readonly GradeRuleData[];
  defaultGrade: Grade | null;
}

export type PublicationOutcome = PublicationDates | { field: 'grade'; message: string };

/** The date `months` months after `date`: the corresponding day, or the month's last day (2024-01-31 + 1 → 2024-02-29). */
export function addMonths(date: string, months: number): string {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`months must be an integer ≥ 0, got ${months}`);
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The first working day on or after `date`. */
function workingDayFrom(date: string, calendar: WorkingDayCalendar): string {
  return calendar.isWorkday(date) ? date : calendar.addWorkingDays(date, 1);
}

/**
 * The grade and dates of an entry under its list type's rule set, or why the grade is refused (a field
 * error on `grade`): a grade the list type does not allow, or a grade on a list type that grades nothing.
 */
export function publicationDates(input: PublicationInput, calendar: WorkingDayCalendar): PublicationOutcome {
  if (input.grades.length === 0) {
    if (input.grade)
      return { field: 'grade', message: `该名单类型不分失信等级 (this list type does not grade its entries)` };
    return { grade: null, publicUntil: null, repairableFrom: null };
  }
  const grade = input.grade ?? input.defaultGrade;
  const rule = input.grades.find((g) => g.grade === grade);
  if (!grade || !rule) {
    const allowed = input.grades.map((g) => g.grade).join(', ');
    return {
      field: 'grade',
      message: `该名单类型不允许此失信等级 (grade ${String(grade)} is not allowed; allowed: ${allowed})`,
    };
  }
  const end = addMonths(input.listedAt, rule.maximumMonths);
  const publicUntil = input.validUntil && input.validUntil < end ? input.validUntil : end;
  const repairableFrom =
    rule.minimumMonths === 0
      ? input.listedAt
      : workingDayFrom(nextDay(addMonths(input.listedAt, rule.minimumMonths)), calendar);
  return { grade, publicUntil, repairableFrom };
}
