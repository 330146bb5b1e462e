import { Injectable } from '@nestjs/common';
import { Counters, COUNTERS, fedBackAt, itemCounters, TaskFacts, taskCounters } from './definitions';
import { ITEM_ROLLUP, ItemRollupRow, RollupsRepository, TASK_ROLLUP, TaskRollupRow } from './rollups.repository';
import { TaskStatisticsRepository } from './task-statistics.repository';

/**
 * Keeps the rollups (task_rollup by organisation, list type, city and day; item_rollup by memorandum
 * too) current: every change of a task goes through `change`, which reads the task's facts before and
 * after under the task's row lock and adds the difference of their counters, in the caller's
 * transaction (the consumer's, with its inbox row, or the feedback write's). A replayed event is
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
    if (after) await this.tasks.setFedBackAt(taskId, fedBackAt(after.items));
    const { tasks, items } = rollupDeltas(before, after);
    // both rollups in one statement (one round trip)
    await this.rollups.add(TASK_ROLLUP.add(tasks), ITEM_ROLLUP.add(items));
    return after;
  }
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
