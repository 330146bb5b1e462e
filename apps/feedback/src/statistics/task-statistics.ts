import { Injectable } from '@nestjs/common';
import { Counters, COUNTERS, fedBackAt, isFinal, itemCounters, TaskFacts, taskCounters } from './definitions';
import {
  ITEM_ROLLUP,
  ItemRollupRow,
  RollupsRepository,
  StatementPart,
  TASK_ROLLUP,
  TaskRollupRow,
} from './rollups.repository';
import { CurrentItem, LockedTask, NewCurrentItem, TaskStatisticsRepository } from './task-statistics.repository';

/** A new feedback, as `TaskStatistics.added` takes it. */
export interface NewFeedback {
  id: string;
  at: Date;
  items: { measureId: string; outcome: string }[];
}

/**
 * Keeps the rollups (task_rollup by organisation, list type, city and day; item_rollup by memorandum
 * too) current: every change of a task goes through `change`, which reads the task's facts before and
 * after under the task's row lock and adds the difference of their counters, in the caller's
 * transaction (the consumer's, with its inbox row, or the feedback write's) — or, for a new feedback,
 * through `added`, which computes the facts after instead of reading them back. A replayed event is
 * dropped by the inbox before it gets here, so each change is counted once.
 */
@Injectable()
export class TaskStatistics {
  constructor(
    private readonly tasks: TaskStatisticsRepository,
    private readonly rollups: RollupsRepository,
  ) {}

  /** The task's facts, its row locked for the rest of the transaction; null when feedback does not know it. */
  async facts(taskId: string): Promise<TaskFacts | null> {
    // Lock first, read after: a statement that waits for the lock still reads its items with the snapshot it
    // started with (READ COMMITTED), so a feedback committed meanwhile would be missed and its counts
    // never taken back out of the rollups.
    if (!(await this.tasks.lock(taskId))) return null;
    return this.tasks.facts(taskId);
  }

  /**
   * Applies `work` to a task (its row, its items, its feedback), then brings its items' current
   * outcomes, its final-outcome time and the rollups up to date. `before` is the facts read (and the
   * row locked) before the work, null for a task that did not exist.
   */
  async change(
    taskId: string,
    before: TaskFacts | null,
    work: () => Promise<void> = () => Promise.resolve(),
  ): Promise<TaskFacts | null> {
    await work();
    await this.tasks.refreshItems(taskId);
    // a task read before holds its lock already: read again without locking it a second time
    const after = before ? await this.tasks.facts(taskId) : await this.facts(taskId);
    // written even when unchanged: a change of the items always writes the row (see `lockWithItems`)
    if (after) await this.tasks.setFedBackAt(taskId, fedBackAt(after.items));
    const { tasks, items } = rollupDeltas(before, after);
    // both rollups in one statement (one round trip)
    await this.rollups.add(TASK_ROLLUP.add(tasks), ITEM_ROLLUP.add(items));
    return after;
  }

  /**
   * The task's row, locked for the rest of the transaction, and its items' current outcomes, for a new
   * feedback (`added`); undefined when feedback does not know the task.
   */
  lockForFeedback(taskId: string): Promise<LockedTask | undefined> {
    return this.tasks.lockWithItems(taskId);
  }

  /**
   * `change` for a new feedback, whose effect is known without reading it back: its items become the
   * current ones of the measures whose current feedback is older — the latest standing feedback by
   * (updated_at, id) gives a measure its outcome, as in `refreshItems` — an item final before staying
   * final since then, as the feedback's items record it; the task's final-outcome time and the rollups
   * follow. Returns what to write — the items' current outcomes, the final-outcome time, both rollups —
   * as the last parts of the statement that writes the feedback (see `combined`), and the task's
   * measures in the order the database sorts them. `locked` is the task as `lockForFeedback` read it.
   */
  added(locked: LockedTask, feedback: NewFeedback): { parts: StatementPart[]; measureOrder: string[] } {
    const { task, items: current } = locked;
    const given = new Map(feedback.items.map((i) => [i.measureId, i]));
    const changed: NewCurrentItem[] = [];
    const after = current.map((item) => {
      const next = given.get(item.measureId);
      if (!next || !supersedes(feedback, item)) return item;
      const finalAt = isFinal(next.outcome) ? (item.finalAt ?? feedback.at) : null;
      changed.push({ measureId: item.measureId, outcome: next.outcome, finalAt, feedbackId: feedback.id });
      return { ...item, outcome: next.outcome, finalAt };
    });
    const facts = (items: CurrentItem[]): TaskFacts => ({
      organization: task.organization,
      listType: task.listType,
      city: task.city,
      day: task.dispatchedOn,
      dueAt: task.dueAt ? new Date(task.dueAt) : null,
      revokedAt: task.revokedAt,
      acknowledgedAt: task.acknowledgedAt ? new Date(task.acknowledgedAt) : null,
      items: items.map((i) => ({
        memorandum: i.memorandum,
        finalAt: i.finalAt,
        implemented: i.outcome === 'implemented',
      })),
    });
    const afterFacts = facts(after);
    const deltas = rollupDeltas(facts(current), afterFacts);
    return {
      parts: [
        this.tasks.setItems(task.id, changed),
        this.tasks.fedBackAt(task.id, fedBackAt(afterFacts.items)),
        TASK_ROLLUP.add(deltas.tasks),
        ITEM_ROLLUP.add(deltas.items),
      ],
      measureOrder: current.map((i) => i.measureId),
    };
  }
}

/**
 * Whether a new feedback takes the place of an item's current one: it is later by (updated_at, id), the
 * order of `refreshItems` (times are written from the service's clock, to the millisecond; ids compare
 * as their canonical lowercase text, as PostgreSQL compares uuids).
 */
function supersedes(feedback: NewFeedback, item: CurrentItem): boolean {
  if (!item.feedbackId || !item.feedbackUpdatedAt) return true;
  const [at, current] = [feedback.at.getTime(), item.feedbackUpdatedAt.getTime()];
  return current < at || (current === at && item.feedbackId < feedback.id);
}

/** What a change adds to the rollups: after − before, per task and per memorandum of its items. */
export function rollupDeltas(
  before: TaskFacts | null,
  after: TaskFacts | null,
): { tasks: TaskRollupRow[]; items: ItemRollupRow[] } {
  const tasks: TaskRollupRow[] = [];
  const items: ItemRollupRow[] = [];
  for (const [facts, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (!facts) continue;
    const key = { day: facts.day, organization: facts.organization, listType: facts.listType, city: facts.city };
    tasks.push({ ...key, ...scale(taskCounters(facts), sign) });
    for (const [memorandum, counters] of itemCounters(facts))
      items.push({ ...key, memorandum, ...scale(counters, sign) });
  }
  return { tasks, items };
}

const scale = (c: Counters, sign: number): Counters =>
  Object.fromEntries(COUNTERS.map((k) => [k, c[k] * sign])) as unknown as Counters;
