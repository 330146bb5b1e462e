import type { TaskLiftingData, TaskRevocationData, TaskStatus } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A `liftedAt` as given: a date (Asia/Shanghai, the start of that day) or a timestamp with offset. */
export const liftedInstantOf = (at: string): Date => new Date(DATE.test(at) ? `${at}T00:00:00+08:00` : at);

export type LiftingDecision =
  | { kind: 'confirm'; liftedAt: Date }
  /** Confirmed before: the first confirmation stands (a repeat is harmless). */
  | { kind: 'already'; lifting: TaskLiftingData }
  /** 409: there is nothing to confirm. */
  | { kind: 'conflict'; message: string }
  /** 400: `liftedAt` is out of bounds. */
  | { kind: 'invalid'; message: string };

/**
 * May the organisation confirm that it lifted a task's measures (解除确认), as of `liftedAt`? Only a task
 * revoked because its entry left the list (repair, removal, expiry, objection upheld) owes it; once is
 * enough; the measures were lifted no earlier than the revocation and no later than now (a date is
 * compared as a day in Asia/Shanghai).
 */
export function decideLifting(
  task: { status: TaskStatus; revocation?: TaskRevocationData | null; lifting?: TaskLiftingData | null },
  liftedAt: string,
  now: Date,
): LiftingDecision {
  if (task.lifting) return { kind: 'already', lifting: task.lifting };
  if (task.status !== 'revoked')
    return { kind: 'conflict', message: '该任务未撤销，不能确认解除措施（任务撤销后才需确认解除）' };
  if (!task.revocation || task.revocation.reason === 'rematch')
    return { kind: 'conflict', message: '该任务因措施调整撤销，名单仍然有效，无需确认解除措施' };
  const at = liftedInstantOf(liftedAt);
  const revokedAt = new Date(task.revocation.revokedAt);
  const [early, late] = DATE.test(liftedAt)
    ? [liftedAt < todayInShanghai(revokedAt), liftedAt > todayInShanghai(now)]
    : [at < revokedAt, at > now];
  if (early) return { kind: 'invalid', message: '解除时间不得早于任务撤销时间' };
  if (late) return { kind: 'invalid', message: '解除时间不得晚于当前时间' };
  return { kind: 'confirm', liftedAt: at };
}
