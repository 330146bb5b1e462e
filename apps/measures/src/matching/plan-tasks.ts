import { taskIdOf } from '@jrp/contracts';
import { DesiredTask } from './match-measures';

export interface ExistingTask {
  id: string;
  organization: string;
  organizationName: string;
  status: 'open' | 'revoked';
  version: number;
  measures: { id: string; text: string }[];
  subject: unknown;
  entryDisputed: boolean;
}

export type TaskChangeType = 'dispatched' | 'updated' | 'revoked';

export interface PlannedTask {
  type: TaskChangeType;
  id: string;
  organization: string;
  organizationName: string;
  status: 'open' | 'revoked';
  version: number;
  measures: { id: string; text: string }[];
  /** Working days to feedback, for dispatched and updated tasks. */
  dueWorkingDays?: number;
}

const sameMeasures = (a: { id: string }[], b: { id: string }[]) => a.length === b.length && a.every((m, i) => m.id === b[i].id);

/**
 * The task changes that bring an entry's tasks from what exists to what is desired:
 * new organisations get `dispatched`; changed measures or entry details (subject, dispute) give `updated`; organisations no
 * longer concerned get `revoked`. Unchanged tasks produce nothing, so replaying changes nothing.
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
    } else if (task.status === 'revoked') {
      plan.push({ type: 'dispatched', id: task.id, ...d, status: 'open', version: task.version + 1 });
    } else if (!sameMeasures(task.measures, d.measures) || detailsChanged) {
      plan.push({ type: 'updated', id: task.id, ...d, status: 'open', version: task.version + 1 });
    }
  }
  for (const task of existing) {
    if (task.status === 'open' && !wanted.has(task.organization)) {
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
