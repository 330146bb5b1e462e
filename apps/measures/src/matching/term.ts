/**
 * A measure's term (措施期限): `termMonths` months counted from the entry's listing date (`listing`) or from
 * the decision date (`decision`); no term (null) means the measure lasts until the entry leaves the list
 * (至移出名单). measures learns one date of an entry, `listedAt`: the listing date, which for a notice-first
 * entry (先告知后列入) is the day of the listing decision — so both kinds of term count from the same day
 * today; `termFrom` records what the measure's text says, should the two dates ever be told apart.
 */
export const TERM_FROMS = ['listing', 'decision'] as const;
export type TermFrom = (typeof TERM_FROMS)[number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The last day (inclusive, an Asia/Shanghai calendar date) a measure with a term of `months` months applies
 * when the term starts on `start` (that day counted): the day before the corresponding day (对应日) of the
 * month `months` later; when that month has no corresponding day (the 31st, or 29 February), its last day.
 * 2023-11-01 + 36 → 2026-10-31; 2024-01-31 + 1 → 2024-02-29; 2023-01-31 + 1 → 2023-02-28. Pure.
 */
export function applyUntilOf(start: string, months: number): string {
  const m = DATE.exec(start);
  const valid = m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31;
  if (!valid || !Number.isInteger(months) || months < 1)
    throw new RangeError(`no term of ${months} months from ${start}`);
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Number(m[3]);
  const last = daysIn(year, month);
  if (day > last) return `${pad(year, 4)}-${pad(month)}-${pad(last)}`;
  if (day > 1) return `${pad(year, 4)}-${pad(month)}-${pad(day - 1)}`;
  // the 1st: the last day of the month before
  const before = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
  return `${pad(before.year, 4)}-${pad(before.month)}-${pad(daysIn(before.year, before.month))}`;
}

/** A measure's last day for an entry listed on `listedAt`; null: no term (until removal). */
export function measureApplyUntil(
  measure: { termMonths?: number | null; termFrom?: TermFrom | null },
  listedAt: string | undefined,
): string | null {
  if (!measure.termMonths || !listedAt) return null;
  // listing and decision: the same day as measures knows an entry (see above)
  return applyUntilOf(listedAt, measure.termMonths);
}
