import type { EntryStatus, RepairPath } from '@jrp/contracts';

/** The actions departments and the office take on an entry (POST …/transitions). */
export const TRANSITION_ACTIONS = ['move-to-watch', 'record-commitment', 'record-training', 'remove'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

export interface LifecycleState {
  status: EntryStatus;
  colour: 'red' | 'black';
  /** The list type's repair path (its rule set): only `watch-list-2018` takes the 2018 steps. */
  repairPath: RepairPath;
  commitmentRecorded: boolean;
  trainingRecorded: boolean;
  /** A graded entry's first day of repair (its grade's minimum period passed); null: no waiting. */
  repairableFrom: string | null;
  /** The step's day: the earlier of today and the day it took effect (`at`), Asia/Shanghai. */
  on: string;
}

export type TransitionOutcome =
  | { ok: true; status: EntryStatus; event: 'moved-to-watch' | 'commitment-recorded' | 'training-recorded' | 'removed' }
  | { ok: false; reason: string; repairableFrom?: string };

const refuse = (reason: string): TransitionOutcome => ({ ok: false, reason });

/**
 * The list lifecycle (item 16 of the source document), as a pure function:
 * - any list: active or watch → removed (`remove`: the court revokes, an error is corrected, repaired);
 * - a repairable black list: active → watch (`move-to-watch`, the subject has corrected its behaviour);
 *   in watch, a credit commitment (信用承诺) and repair training (信用修复培训) are recorded; the second
 *   of the two removes the entry;
 * - a list that is not repairable (失信被执行人 leaves by court action) and red lists refuse repair steps;
 * - a list repaired on application (信用修复管理办法 2025) refuses the 2018 steps;
 * - a graded entry refuses repair steps before `repairableFrom` (its grade's minimum publication period);
 * - removed and expired entries accept nothing (expiry is the system's, at `validUntil`).
 */
export function transition(state: LifecycleState, action: TransitionAction): TransitionOutcome {
  if (state.status === 'removed' || state.status === 'expired')
    return refuse(`the entry is ${state.status}: nothing can change it`);
  if (action === 'remove') return { ok: true, status: 'removed', event: 'removed' };
  if (state.colour === 'red') return refuse('a red list entry has no credit repair: it can only be removed or expire');
  if (state.repairPath === 'none')
    return refuse(
      'this list type is not repairable: the entry leaves the list only by removal (e.g. a court decision)',
    );
  if (state.repairPath === 'application-2025')
    return refuse(
      'this list type is repaired on the subject’s application (信用修复管理办法 2025), not by the 2018 watch-list steps',
    );
  if (state.repairableFrom !== null && state.on < state.repairableFrom)
    return {
      ok: false,
      reason: `最短公示期未满，${state.repairableFrom} 起方可信用修复 (the minimum publication period has not passed: repairable from ${state.repairableFrom})`,
      repairableFrom: state.repairableFrom,
    };
  if (action === 'move-to-watch') {
    return state.status === 'active'
      ? { ok: true, status: 'watch', event: 'moved-to-watch' }
      : refuse('the entry is already on the watch list');
  }
  if (state.status !== 'watch')
    return refuse('credit repair is recorded once the entry is on the watch list (move-to-watch first)');
  if (action === 'record-commitment') {
    if (state.commitmentRecorded) return refuse('the credit commitment is already recorded');
    return { ok: true, status: state.trainingRecorded ? 'removed' : 'watch', event: 'commitment-recorded' };
  }
  if (state.trainingRecorded) return refuse('the repair training is already recorded');
  return { ok: true, status: state.commitmentRecorded ? 'removed' : 'watch', event: 'training-recorded' };
}
