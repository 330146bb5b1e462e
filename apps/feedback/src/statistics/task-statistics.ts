import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { COUNTERS, Counters, fedBackAt, itemCounters, TaskFacts, taskCounters } from './definitions';

const COLUMN: Record<keyof Counters, string> = {
  dispatched: 'dispatched',
  acknowledged: 'acknowledged',
  due: 'due',
  fedBack: 'fed_back',
  onTime: 'on_time',
  itemsFinal: 'items_final',
  itemsImplemented: 'items_implemented',
};

interface Delta {
  key: string[];
  counters: Counters;
}

/**
 * Keeps the rollups (task_rollup by organisation, list type, city and day; item_rollup by memorandum
 * too) current: every change of a task goes through `change`, which reads the task's facts before and
 * after under the task's row lock and adds the difference of their counters, in the caller's
 * transaction (the consumer's, with its inbox row, or the feedback write's). A replayed event is
 * dropped by the inbox before it gets here, so each change is counted once.
 */
@Injectable()
export class TaskStatistics {
  /** The task's facts, its row locked for the rest of the transaction; null when feedback does not know it. */
  async facts(m: EntityManager, taskId: string): Promise<TaskFacts | null> {
    // Lock first, read after: a statement that waits for the lock still reads its items with the snapshot it
    // started with (READ COMMITTED), so a feedback committed meanwhile would be missed and its counts
    // never taken back out of the rollups.
    const locked: unknown[] = await m.query(`SELECT 1 FROM known_tasks WHERE id = $1 FOR UPDATE`, [taskId]);
    if (locked.length === 0) return null;
    const [row] = await m.query<
      (Omit<TaskFacts, 'items'> & { items: { memorandum: string; finalAt: string | null; implemented: boolean }[] })[]
    >(
      `SELECT t.organization, t.list_type AS "listType", t.city, to_char(t.dispatched_on, 'YYYY-MM-DD') AS day, t.due_at AS "dueAt",
              t.revoked_at AS "revokedAt", t.acknowledged_at AS "acknowledgedAt",
              coalesce((SELECT json_agg(json_build_object('memorandum', i.memorandum, 'finalAt', i.final_at, 'implemented', i.outcome = 'implemented')
                                 ORDER BY i.measure_id)
                        FROM task_items i WHERE i.task_id = t.id), '[]') AS items
       FROM known_tasks t WHERE t.id = $1`,
      [taskId],
    );
    if (!row) return null;
    return {
      ...row,
      items: row.items.map((i) => ({
        memorandum: i.memorandum,
        finalAt: i.finalAt ? new Date(i.finalAt) : null,
        implemented: i.implemented,
      })),
    };
  }

  /**
   * Applies `work` to a task (its row, its items, its feedback), then brings its items' current
   * outcomes, its final-outcome time and the rollups up to date. `before` is the facts read (and the
   * row locked) before the work, null for a task that did not exist.
   */
  async change(
    m: EntityManager,
    taskId: string,
    before: TaskFacts | null,
    work: () => Promise<void> = () => Promise.resolve(),
  ): Promise<TaskFacts | null> {
    await work();
    await this.refreshItems(m, taskId);
    const after = await this.facts(m, taskId);
    if (after) await m.query(`UPDATE known_tasks SET fed_back_at = $2 WHERE id = $1`, [taskId, fedBackAt(after.items)]);
    await this.apply(m, before, after);
    return after;
  }

  /** Each measure item's current outcome: the item of the latest standing feedback that has one. */
  private async refreshItems(m: EntityManager, taskId: string): Promise<void> {
    await m.query(
      `UPDATE task_items ti SET outcome = cur.outcome, final_at = cur.final_since, feedback_id = cur.feedback_id
       FROM task_items x LEFT JOIN LATERAL (
         SELECT fi.outcome, fi.final_since, f.id AS feedback_id
         FROM feedback f JOIN feedback_items fi ON fi.feedback_id = f.id AND fi.version = f.version AND fi.measure_id = x.measure_id
         WHERE f.task_id = x.task_id AND f.cancelled_at IS NULL
         ORDER BY f.updated_at DESC, f.id DESC LIMIT 1) cur ON true
       WHERE x.task_id = $1 AND ti.task_id = x.task_id AND ti.measure_id = x.measure_id
         AND (ti.outcome, ti.final_at, ti.feedback_id) IS DISTINCT FROM (cur.outcome, cur.final_since, cur.feedback_id)`,
      [taskId],
    );
  }

  /** Adds after − before to the rollups, rows in key order (so concurrent changes never deadlock). */
  private async apply(m: EntityManager, before: TaskFacts | null, after: TaskFacts | null): Promise<void> {
    const tasks: Delta[] = [];
    const items: Delta[] = [];
    for (const [facts, sign] of [
      [before, -1],
      [after, 1],
    ] as const) {
      if (!facts) continue;
      const key = [facts.day, facts.organization, facts.listType, facts.city];
      tasks.push({ key, counters: scale(taskCounters(facts), sign) });
      for (const [memorandum, counters] of itemCounters(facts))
        items.push({
          key: [facts.day, memorandum, facts.organization, facts.listType, facts.city],
          counters: scale(counters, sign),
        });
    }
    // both rollups in one statement (one round trip)
    const statements = [
      upsertStatement(
        'task_rollup',
        ['day', 'organization', 'list_type', 'city'],
        COUNTERS.map((k) => COLUMN[k]),
        sumByKey(tasks),
      ),
      upsertStatement(
        'item_rollup',
        ['day', 'memorandum', 'organization', 'list_type', 'city'],
        COUNTERS.map((k) => COLUMN[k]),
        sumByKey(items),
      ),
    ].filter((x) => x !== null);
    if (statements.length === 0) return;
    const params: unknown[] = [];
    const sql = statements.map((x) => x.sql((v) => `$${params.push(v)}`));
    await m.query(sql.length === 1 ? sql[0] : `WITH task_rows AS (${sql[0]}) ${sql[1]}`, params);
  }
}

const scale = (c: Counters, sign: number): Counters =>
  Object.fromEntries(COUNTERS.map((k) => [k, c[k] * sign])) as unknown as Counters;

function sumByKey(deltas: Delta[]): { key: string[]; values: number[] }[] {
  const sums = new Map<string, { key: string[]; values: number[] }>();
  for (const d of deltas) {
    const id = JSON.stringify(d.key);
    const entry = sums.get(id) ?? { key: d.key, values: COUNTERS.map(() => 0) };
    COUNTERS.forEach((k, i) => (entry.values[i] += d.counters[k]));
    sums.set(id, entry);
  }
  return [...sums.values()];
}

/** An upsert adding counter values to rollup rows, in key order; null when every value is zero. */
function upsertStatement(
  table: string,
  keyColumns: string[],
  counters: string[],
  rows: { key: (string | boolean)[]; values: number[] }[],
) {
  const changed = rows
    .filter((r) => r.values.some((v) => v !== 0))
    .sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1));
  if (changed.length === 0) return null;
  return {
    sql: (param: (v: unknown) => string) =>
      `INSERT INTO ${table} (${[...keyColumns, ...counters].join(', ')}) VALUES ${changed.map((r) => `(${[...r.key, ...r.values].map(param).join(', ')})`).join(', ')}
       ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${counters.map((c) => `${c} = ${table}.${c} + EXCLUDED.${c}`).join(', ')}`,
  };
}

/** Adds counter values to rollup rows (creating them), in key order; rows whose values are all zero are skipped. */
export async function upsertSums(
  m: EntityManager,
  table: string,
  keyColumns: string[],
  counters: string[],
  rows: { key: (string | boolean)[]; values: number[] }[],
): Promise<void> {
  const statement = upsertStatement(table, keyColumns, counters, rows);
  if (!statement) return;
  const params: unknown[] = [];
  const sql = statement.sql((v) => `$${params.push(v)}`);
  await m.query(sql, params);
}
