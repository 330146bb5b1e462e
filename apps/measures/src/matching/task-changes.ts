import { TaskRevocationData, TaskSubjectData } from '@jrp/contracts';
import { todayInShanghai, WorkingDayCalendar } from '@jrp/domain';
import type { TaskChange } from '../tasks/task-writer';
import type { EntryState } from './entry-states.repository';
import { dueAtOf } from './due-date';
import { CatalogueMeasure, matchMeasures } from './match-measures';
import { ExistingTask, planTasks, PlannedTask } from './plan-tasks';
import { Reassignment, reassignMeasures } from './reassign-measures';

/** A task as matching finds it stored: what planning compares, and what its next version keeps. */
export type StoredTask = ExistingTask & {
  subject: TaskSubjectData;
  region: string;
  dispatchedOn: string | null;
  dueAt: Date | null;
  acknowledgedAt: Date | null;
  returnReason: string | null;
};

/**
 * One entry to match: its state, its list type's measures, the date the rules are taken on, and what a
 * revocation of its tasks records (a rematch at `now` when not given) — or, for a task none of whose
 * measures applies any longer because each ran its term (the entry still listed), `termEnded` (期限届满).
 */
export interface MatchWork {
  state: EntryState;
  measures: CatalogueMeasure[];
  onDate: string;
  revocation?: TaskRevocationData;
  termEnded?: TaskRevocationData;
}

/**
 * What matching decides for many entries, given what is stored: each entry's plan and the new version
 * of every task it changes (due dates counted in working days from the dispatch date, or from the release
 * of a task held by an objection; none while on hold). Pure: no I/O.
 */
export function taskChangesOf(
  work: MatchWork[],
  stored: ReadonlyMap<string, StoredTask[]>,
  reassigned: ReadonlyMap<string, Reassignment[]>,
  calendar: WorkingDayCalendar,
  now: Date,
): { plans: PlannedTask[][]; changes: TaskChange[] } {
  const plans: PlannedTask[][] = [];
  const changes: TaskChange[] = [];
  const today = todayInShanghai(now);
  for (const { state, measures, onDate, revocation, termEnded } of work) {
    const existing = stored.get(state.entryId) ?? [];
    const assigned = reassignMeasures(measures, reassigned.get(state.entryId) ?? []);
    const entry = {
      status: state.status,
      region: state.region,
      subject: { kind: state.subject.kind, hasLegalRepresentative: state.hasLegalRepresentative },
      listedAt: state.listedAt,
    };
    // measures whose term ran out (期限届满) by today are left out, as are those no longer in force
    const desired = matchMeasures(assigned, entry, onDate, today);
    // the organisations that would still have a task but for the terms: theirs end `term-ended`
    const byTerm = new Set(matchMeasures(assigned, entry, onDate, null).map((d) => d.organization));
    // a corrected region moves the tasks too (city offices' scope and statistics follow it)
    const detailsChanged = existing.some(
      (t) =>
        JSON.stringify(t.subject) !== JSON.stringify(state.subject) ||
        t.region !== state.region ||
        t.entryDisputed !== state.disputed,
    );
    // 异议期间暂停实施: a pending objection holds the tasks where the list type's rule set says so
    const hold = state.disputed && measures.some((m) => m.objectionHoldsMeasures === true);
    const plan = planTasks(state.entryId, existing, desired, detailsChanged, hold);
    plans.push(plan);
    const current = new Map(existing.map((t) => [t.id, t]));
    const listTypeName = measures[0]?.listTypeName ?? state.listType;
    for (const p of plan) {
      const before = current.get(p.id);
      let dispatchedOn = before?.dispatchedOn ?? null;
      let dueAt = before?.dueAt ? new Date(before.dueAt) : null;
      if (p.type !== 'revoked') {
        // a task's due date counts from its dispatch, or from its release: the time on hold never counts
        const keepsStart = (p.type === 'updated' || p.type === 'held') && before?.dispatchedOn;
        dispatchedOn = keepsStart ? before.dispatchedOn : todayInShanghai(now);
        // on hold a task has no due date (it is not overdue meanwhile); released, it has the full period again
        dueAt = p.status === 'on-hold' ? null : dueAtOf(calendar, dispatchedOn!, p.dueWorkingDays!);
      }
      changes.push({
        type: p.type,
        dispatchedOn,
        task: {
          taskId: p.id,
          version: p.version,
          entryId: state.entryId,
          entryVersion: state.version,
          organization: p.organization,
          organizationName: p.organizationName,
          listType: state.listType,
          listTypeName,
          region: state.region,
          subject: state.subject,
          measures: p.measures,
          status: p.status,
          disputed: state.disputed,
          dueAt: dueAt ? dueAt.toISOString() : null,
          changedAt: now.toISOString(),
          // a task dispatched again starts over; an update keeps the receipt, a revocation records it as it was
          acknowledgedAt:
            p.type === 'dispatched' || !before?.acknowledgedAt ? null : new Date(before.acknowledgedAt).toISOString(),
          returnReason: p.type === 'dispatched' ? null : (before?.returnReason ?? null),
          ...(p.type === 'revoked'
            ? {
                revocation:
                  termEnded && byTerm.has(p.organization)
                    ? termEnded
                    : (revocation ?? { reason: 'rematch', revokedAt: now.toISOString(), liftBy: null }),
              }
            : {}),
        },
      });
    }
  }
  return { plans, changes };
}
