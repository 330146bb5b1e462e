import { taskIdOf, TaskStatus } from '@jrp/contracts';
import { DesiredTask, TaskMeasure } from './match-measures';

export interface ExistingTask {
  id: string;
  organization: string;
  organizationName: string;
  status: TaskStatus;
  version: number;
  measures: TaskMeasure[];
  subject: unknown;
  entryDisputed: boolean;
  /** When it was acknowledged (签收): a held task goes back to `acknowledged` on release when it was. */
  acknowledgedAt?: Date | string | null;
}

export interface PlannedTask {
  type: 'dispatched' | 'updated' | 'revoked' | 'held' | 'released';
  id: string;
  organization: string;
  organizationName: string;
  status: TaskStatus;
  version: number;
  measures: TaskMeasure[];
  /** Working days to feedback, for dispatched, updated, held and released tasks. */
  dueWorkingDays?: number;
}

/** The same measures, each with the same last day (a term changed in a new catalogue version updates the task). */
const sameMeasures = (a: TaskMeasure[], b: TaskMeasure[]) =>
  a.length === b.length && a.every((m, i) => m.id === b[i].id && (m.applyUntil ?? null) === (b[i].applyUntil ?? null));

/** Tasks the organisation works on: 待实施 open and 已签收 acknowledged. */
const ACTIVE: readonly TaskStatus[] = ['open', 'acknowledged'];

/**
 * The task changes that bring an entry's tasks from what exists to what is desired:
 * new organisations get `dispatched`; changed measures or entry details (subject, dispute) give `updated`
 * (a task keeps its receipt); organisations no longer concerned get `revoked`. A returned task (退回) waits
 * for the office: it changes only when its organisation is given different measures (dispatched again) or
 * none (revoked, which is also what the office's reassignment does to it). Unchanged tasks produce
 * nothing, so replaying changes nothing.
 *
 * `hold` (异议期间暂停实施): the entry is disputed and its list type's rule set holds measures meanwhile.
 * Then an open or acknowledged task goes `held` (status `on-hold`, its receipt kept), and a task dispatched
 * meanwhile is dispatched already on hold — one `dispatched` change, not a dispatch and a hold, so each
 * version of a task is one change. Without `hold` an on-hold task is `released` back to `acknowledged` or
 * `open` (as it was), carrying the measures as they now are (an objection upheld with corrections); a
 * held task no longer concerned (an objection upheld: the entry removed) is revoked like any other.
 */
export function planTasks(
  entryId: string,
  existing: ExistingTask[],
  desired: DesiredTask[],
  detailsChanged: boolean,
  hold = false,
): PlannedTask[] {
  const plan: PlannedTask[] = [];
  const current = new Map(existing.map((t) => [t.organization, t]));
  const wanted = new Set(desired.map((d) => d.organization));
  const fresh: TaskStatus = hold ? 'on-hold' : 'open';
  for (const d of desired) {
    const task = current.get(d.organization);
    const changed = task !== undefined && (!sameMeasures(task.measures, d.measures) || detailsChanged);
    if (!task) {
      plan.push({ type: 'dispatched', id: taskIdOf(entryId, d.organization), ...d, status: fresh, version: 1 });
    } else if (task.status === 'revoked' || (task.status === 'returned' && !sameMeasures(task.measures, d.measures))) {
      plan.push({ type: 'dispatched', id: task.id, ...d, status: fresh, version: task.version + 1 });
    } else if (ACTIVE.includes(task.status) && hold) {
      plan.push({ type: 'held', id: task.id, ...d, status: 'on-hold', version: task.version + 1 });
    } else if (ACTIVE.includes(task.status) && changed) {
      plan.push({ type: 'updated', id: task.id, ...d, status: task.status, version: task.version + 1 });
    } else if (task.status === 'on-hold' && !hold) {
      const status: TaskStatus = task.acknowledgedAt ? 'acknowledged' : 'open';
      plan.push({ type: 'released', id: task.id, ...d, status, version: task.version + 1 });
    } else if (task.status === 'on-hold' && changed) {
      plan.push({ type: 'updated', id: task.id, ...d, status: 'on-hold', version: task.version + 1 });
    }
  }
  for (const task of existing) {
    if (task.status !== 'revoked' && !wanted.has(task.organization)) {
      plan.push({
        type: 'revoked',
        id: task.id,
        organization: task.organization,
        organizationName: task.organizationName,
        measures: task.measures,
        status: 'revoked',
        version: task.version + 1,
      });
    }
  }
  return plan;
}
