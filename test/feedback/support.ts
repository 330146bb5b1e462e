import { waitFor } from '@jrp/testing';
import { COURT, courtEntry } from '../scenarios/loop.scenario';
import { StandaloneSuite } from '../support/standalone';

export const FINANCE = 'AH-FINANCE'; // implements M01-10, M01-11, M01-12 for 失信被执行人 legal subjects
export const OFFICE = 'AH-CREDIT-OFFICE';
export const HEFEI_OFFICE = 'AH-C340100';
export const WUHU_OFFICE = 'AH-C340200';

/** Publishes court entry n (with overrides) and returns its id. */
export async function publish(suite: StandaloneSuite, n: number, extra: object = {}, by = COURT): Promise<string> {
  const res = await (await suite.api.as(by)).post('/api/v1/lists/entries', courtEntry(n, extra));
  if (res.status !== 201) throw new Error(`publish ${n}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** The organisation's task for an entry once feedback knows it (with its measures). */
export function taskOf(
  suite: StandaloneSuite,
  entryId: string,
  organization: string,
): Promise<{ id: string; measureIds: string[] }> {
  return waitFor(`feedback knows ${organization}'s task for ${entryId}`, async () => {
    const [row] = await suite.feedback.query<{ id: string; measure_ids: string[] }>(
      `SELECT id, measure_ids FROM known_tasks WHERE entry_id = $1 AND organization = $2`,
      [entryId, organization],
    );
    return row ? { id: row.id, measureIds: row.measure_ids } : undefined;
  });
}

/** Task rollup sums, and the same counters recounted from the raw rows (tasks, feedback, items), per rollup key. */
export async function rollupAndRecount(suite: StandaloneSuite): Promise<{ rollup: unknown[]; recount: unknown[] }> {
  const rollup = await suite.feedback.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, organization, list_type, city, dispatched, acknowledged, due, fed_back, on_time, items_final, items_implemented
     FROM task_rollup WHERE (dispatched, acknowledged, due, fed_back, on_time, items_final, items_implemented) <> (0, 0, 0, 0, 0, 0, 0)
     ORDER BY 1, 2, 3, 4`,
  );
  // The definitions again, independently: an item's outcome is that of the latest standing feedback naming it.
  const recount = await suite.feedback.query(
    `WITH items AS (
       SELECT t.id AS task_id, m AS measure_id, cur.outcome, cur.final_since
       FROM known_tasks t CROSS JOIN unnest(t.measure_ids) m
       LEFT JOIN LATERAL (
         SELECT fi.outcome, fi.final_since FROM feedback f JOIN feedback_items fi ON fi.feedback_id = f.id AND fi.version = f.version AND fi.measure_id = m
         WHERE f.task_id = t.id AND f.cancelled_at IS NULL ORDER BY f.updated_at DESC, f.id DESC LIMIT 1) cur ON true),
     per_task AS (
       SELECT t.*, (t.revoked_at IS NULL OR t.revoked_at >= t.due_at) AS is_due,
              CASE WHEN bool_and(i.outcome IS NOT NULL AND i.outcome <> 'in-progress') THEN max(i.final_since) END AS done,
              count(*) FILTER (WHERE i.outcome IS NOT NULL AND i.outcome <> 'in-progress') AS final_items,
              count(*) FILTER (WHERE i.outcome = 'implemented') AS implemented_items
       FROM known_tasks t JOIN items i ON i.task_id = t.id GROUP BY t.id)
     SELECT to_char(dispatched_on, 'YYYY-MM-DD') AS day, organization, list_type, city,
            count(*)::int AS dispatched, count(acknowledged_at)::int AS acknowledged, count(*) FILTER (WHERE is_due)::int AS due,
            count(*) FILTER (WHERE is_due AND done IS NOT NULL)::int AS fed_back,
            count(*) FILTER (WHERE is_due AND done IS NOT NULL AND (due_at IS NULL OR done <= due_at))::int AS on_time,
            coalesce(sum(final_items) FILTER (WHERE is_due), 0)::int AS items_final, coalesce(sum(implemented_items) FILTER (WHERE is_due), 0)::int AS items_implemented
     FROM per_task GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
  );
  return { rollup, recount };
}
