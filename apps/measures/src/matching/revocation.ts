import { EntryStatus, ListEntryEvents, RevocationReason, TaskRevocationData } from '@jrp/contracts';
import { endOfDayShanghai, todayInShanghai, WorkingDayCalendar } from '@jrp/domain';

/**
 * Why an entry's change revokes its tasks: the entry left the list — 信用修复 repair (to the watch list),
 * 异议成立 objection upheld (removed by the objection's decision), 移出 removal, 到期 expiry — or it is still
 * listed and its measures moved (调整 rematch: a correction, a new catalogue version, a reassignment).
 */
export function revocationReasonOf(status: EntryStatus, eventType: string | null): RevocationReason {
  if (status === 'watch') return 'repair';
  if (status === 'expired') return 'expiry';
  if (status === 'removed') {
    if (eventType === ListEntryEvents.Repaired) return 'repair'; // 信用修复 on application (2025): removed by the decision
    return eventType === ListEntryEvents.ObjectionDecided ? 'objection-upheld' : 'removal';
  }
  // a withdrawn notice (已撤回) was never listed: it had no tasks; should one exist, it ends as a removal
  if (status === 'withdrawn') return 'removal';
  return 'rematch';
}

/**
 * A revocation as a task records it: `at` is when the entry's change took effect (a removal's `at`), and
 * lifting is to be confirmed by the end (Asia/Shanghai) of the n-th working day after that date; a
 * rematch owes no confirmation (the entry is still listed).
 */
export function revocationOf(
  reason: RevocationReason,
  at: Date,
  calendar: WorkingDayCalendar,
  workingDays: number,
): TaskRevocationData {
  return {
    reason,
    revokedAt: at.toISOString(),
    liftBy:
      reason === 'rematch'
        ? null
        : endOfDayShanghai(calendar.addWorkingDays(todayInShanghai(at), workingDays)).toISOString(),
  };
}
