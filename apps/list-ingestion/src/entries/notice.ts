import type { ListingProcedure } from '@jrp/contracts';
import { isCalendarDate, WorkingDayCalendar } from '@jrp/domain';
import type { FieldError } from '@jrp/http';
import type { EntryDecision, EntryNotice } from './entry';

/**
 * The statement period (陈述申辩期) of a notice before listing, in working days after the notice is served.
 * A constant for now (国办发〔2020〕49号 asks for the subject to be told and heard, without fixing a number of
 * days): a rule-set field `statementWorkingDays` can replace it when a list type needs its own.
 */
export const STATEMENT_WORKING_DAYS = 5;

/** How an entry starts, by its list type's procedure and the notice its publisher may have served itself. */
export type ListingStart =
  | { status: 'active'; notice: EntryNotice | null; statementDeadline: string | null; decision: EntryDecision | null }
  | { status: 'noticed'; notice: EntryNotice; statementDeadline: string; decision: null };

/**
 * The start of an entry (pure):
 * - `direct`: listed on publishing (`active`), nothing about notices recorded;
 * - `notice-first` without a notice served: jrp serves it today: `noticed` until the department decides,
 *   the statement period ending `STATEMENT_WORKING_DAYS` working days after today;
 * - `notice-first` with a notice served outside jrp (`servedOn`, 告知书文号): the period counts from
 *   `servedOn`; once it has passed (its last day before today) the entry is listed directly, the decision
 *   recorded as made on publishing (at `listedAt`, by the publisher); otherwise `noticed`.
 * A `servedOn` that is not a date or lies after today is a field error.
 */
export function listingStart(
  procedure: ListingProcedure,
  served: { servedOn: string; documentNo: string } | undefined,
  context: { today: string; listedAt: string; publishedBy: string; calendar: WorkingDayCalendar },
): ListingStart | FieldError {
  if (procedure === 'direct') return { status: 'active', notice: null, statementDeadline: null, decision: null };
  if (served && !isCalendarDate(served.servedOn))
    return { field: 'notice.servedOn', message: 'servedOn is not a calendar date' };
  if (served && served.servedOn > context.today)
    return { field: 'notice.servedOn', message: `servedOn must not be after today (${context.today})` };
  const servedOn = served?.servedOn ?? context.today;
  const notice: EntryNotice = {
    servedOn,
    documentNo: served?.documentNo.trim() ?? null,
    servedOutside: served !== undefined,
  };
  const statementDeadline = context.calendar.addWorkingDays(servedOn, STATEMENT_WORKING_DAYS);
  if (served && statementDeadline < context.today)
    return {
      status: 'active',
      notice,
      statementDeadline,
      decision: {
        outcome: 'listed',
        at: context.listedAt,
        reason: `告知书${notice.documentNo}于${servedOn}送达，陈述申辩期至${statementDeadline}届满 (the statement period of the notice served outside jrp has passed)`,
        by: context.publishedBy,
      },
    };
  return { status: 'noticed', notice, statementDeadline, decision: null };
}
