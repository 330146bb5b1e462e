/** Where a revoked task's lifting stands: 已确认 confirmed, 待确认 pending (its deadline not passed), 逾期未确认 overdue. */
export type LiftingState = 'confirmed' | 'pending' | 'overdue';

export const LIFTING_STATE_LABELS: Record<LiftingState, string> = {
  confirmed: '已确认',
  pending: '待确认',
  overdue: '逾期未确认',
};

/** Why a task was revoked, as the report names it. */
export const REVOCATION_REASON_LABELS: Record<string, string> = {
  repair: '信用修复',
  removal: '移出',
  expiry: '到期',
  'objection-upheld': '异议成立',
  rematch: '措施调整',
  'term-ended': '期限届满',
};

/**
 * A confirmed lifting is confirmed whenever it came (the report shows when); without one, the task is
 * overdue once its deadline (`liftBy`, the end of the last working day) has passed, pending until then.
 */
export function liftingStateOf(liftBy: Date, liftConfirmedAt: Date | null, now: Date): LiftingState {
  if (liftConfirmedAt) return 'confirmed';
  return now.getTime() > liftBy.getTime() ? 'overdue' : 'pending';
}
