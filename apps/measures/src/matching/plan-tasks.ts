import { taskIdOf, TaskStatus } from '@jrp/contracts';
import { DesiredTask } from './match-measures';

export interface ExistingTask {
  id: string;
  organization: string;
  organizationName: string;
  status: TaskStatus;
  version: number;
  measures: { id: string; text: string }[];
  subject: unknown;
  entryDisputed: boolean;
}

export interface PlannedTask {
  type: 'dispatched' | 'updated' | 'revoked';
  id: string;
  organization: string;
  organizationName: string;
  status: TaskStatus;
  version: number;
  measures: { id: string; text: string }[];
  /** Working days to feedback, for dispatched and updated tasks. */
  dueWorkingDays?: number;
}

const sameMeasures = (a: { id: string }[], b: { id: string }[]) =>
  a.length === b.length && a.every((m, i) => m.id === b[i].id);

/** Tasks the organisation works on: 待实施 open and 已签收 acknowledged. */
const ACTIVE: readonly TaskStatus[] = ['open', 'acknowledged'];

/**
 * The task changes that bring an entry's tasks from what exists to what is desired:
 * new organisations get `dispatched`; changed measures or entry details (subject, dispute) give `updated`
 * (a task keeps its receipt); organisations no longer concerned get `revoked`. A returned task (退回) waits
 * for the office: it changes only when its organisation is given different measures (dispatched again) or
 * none (revoked, which is also what the office's reassignment does to it). Unchanged tasks produce
 * nothing, so replaying changes nothing.
 */
export function planTasks(
  entryId: string,
  existing: ExistingTask[],
  desired: DesiredTask[],
  detailsChanged: boolean,
): PlannedTask[] {
  const plan: PlannedTask[] = [];
  const current = new Map(existing.map((t) => [t.organization, t]));
  const wanted = new Set(desired.map((d) => d.organization));
  for (const d of desired) {
    const task = current.get(d.organization);
    if (!task) {
      plan.push({ type: 'dispatched', id: taskIdOf(entryId, d.organization), ...d, status: 'open', version: 1 });
    } else if (task.status === 'revoked' || (task.status === 'returned' && !sameMeasures(task.measures, d.measures))) {
      plan.push({ type: 'dispatched', id: task.id, ...d, status: 'open', version: task.version + 1 });
    } else if (ACTIVE.includes(task.status) && (!sameMeasures(task.measures, d.measures) || detailsChanged)) {
      plan.push({ type: 'updated', id: task.id, ...d, status: task.status, version: task.version + 1 });
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
