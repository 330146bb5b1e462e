import type { EntryStatus, ListingProcedure, RepairPath } from '@jrp/contracts';

/**
 * The actions departments and the office take on an entry (POST …/transitions): the 2018 repair steps,
 * removal, and on a noticed entry (拟列入) the decision to list it (`decide`) or not (`withdraw`).
 */
export const TRANSITION_ACTIONS = [
  'move-to-watch',
  'record-commitment',
  'record-training',
  'remove',
  'decide',
  'withdraw',
] as const;
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
  /** The list type's procedure: `notice-first` entries start noticed (国办发〔2020〕49号). */
  procedure: ListingProcedure;
  /** A noticed entry's last day of the statement period (陈述申辩); null for entries listed directly. */
  statementDeadline: string | null;
  /** Whether the subject's statement is recorded (the subject has spoken). */
  statementRecorded: boolean;
}

export type TransitionOutcome =
  | {
      ok: true;
      status: EntryStatus;
      event: 'moved-to-watch' | 'commitment-recorded' | 'training-recorded' | 'removed' | 'listed' | 'withdrawn';
    }
  | { ok: false; reason: string; repairableFrom?: string; statementDeadline?: string };

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
 * - removed, expired and withdrawn entries accept nothing (expiry is the system's, at `validUntil`);
 * - a noticed entry (拟列入, notice-first list types, 国办发〔2020〕49号) is decided by its initiating
 *   department: `decide` lists it (→ active), `withdraw` does not (→ withdrawn, terminal). Before its
 *   statement period has passed (`on` up to `statementDeadline`) it is decided only once the subject's
 *   statement (陈述申辩) is recorded; nothing else applies to it, and `decide`/`withdraw` to nothing else.
 */
export function transition(state: LifecycleState, action: TransitionAction): TransitionOutcome {
  if (state.status === 'removed' || state.status === 'expired' || state.status === 'withdrawn')
    return refuse(`the entry is ${state.status}: nothing can change it`);
  if (state.status === 'noticed') return decideNotice(state, action);
  if (action === 'decide' || action === 'withdraw')
    return refuse(
      `only a noticed entry (拟列入) is decided or withdrawn; this one is ${state.status} (${state.procedure} list type)`,
    );
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

/** What a noticed entry accepts: the decision (with the statement period's rule) or the withdrawal. */
function decideNotice(state: LifecycleState, action: TransitionAction): TransitionOutcome {
  if (action === 'withdraw') return { ok: true, status: 'withdrawn', event: 'withdrawn' };
  if (action !== 'decide')
    return refuse(
      'the entry is noticed (拟列入), not listed: its initiating department decides it (decide) or withdraws it (withdraw)',
    );
  if (!state.statementRecorded && state.statementDeadline !== null && state.on <= state.statementDeadline)
    return {
      ok: false,
      reason: `陈述申辩期至 ${state.statementDeadline} 届满，当事人未陈述申辩前不得作出列入决定 (the statement period runs until ${state.statementDeadline}: decide after it, or once the subject's statement is recorded)`,
      statementDeadline: state.statementDeadline,
    };
  return { ok: true, status: 'active', event: 'listed' };
}
