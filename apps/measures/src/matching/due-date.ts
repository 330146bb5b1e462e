import { endOfDayShanghai, WorkingDayCalendar } from '@jrp/domain';

/** Feedback is due at the end (Asia/Shanghai) of the n-th working day after the dispatch date. */
export function dueAtOf(calendar: WorkingDayCalendar, dispatchedOn: string, workingDays: number): Date {
  return endOfDayShanghai(calendar.addWorkingDays(dispatchedOn, workingDays));
}
