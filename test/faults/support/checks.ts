import type { EntryStatus } from '@jrp/contracts';
import { SchemaProbe } from '@jrp/testing';
import { CatalogueMeasure, matchMeasures } from '../../../apps/measures/src/matching/match-measures';
import { reassignMeasures, Reassignment } from '../../../apps/measures/src/matching/reassign-measures';
import { LoadWorld } from './load';

/** What one check found: changes that did not take effect (lost) and effects applied twice or made up (duplicated). */
export interface Finding {
  check: string;
  lost: number;
  duplicated: number;
  examples: string[];
}

export interface Schemas {
  lists: SchemaProbe;
  measures: SchemaProbe;
  feedback: SchemaProbe;
}

class Tally {
  lost = 0;
  duplicated = 0;
  readonly examples: string[] = [];

  constructor(readonly check: string) {}

  miss(n: number, example: string): void {
    if (n <= 0) return;
    this.lost += n;
    if (this.examples.length < 8) this.examples.push(`lost: ${example}`);
  }

  extra(n: number, example: string): void {
    if (n <= 0) return;
    this.duplicated += n;
    if (this.examples.length < 8) this.examples.push(`duplicated: ${example}`);
  }

  get finding(): Finding {
    return { check: this.check, lost: this.lost, duplicated: this.duplicated, examples: this.examples };
  }
}

interface ListRow {
  id: string;
  version: number;
  status: EntryStatus;
  list_type: string;
  subject_kind: 'legal' | 'natural';
  has_rep: boolean;
  subject_name: string;
  region: string;
  listed_at: string;
  changed_on: string;
}

/** list-ingestion holds every change the client had accepted (status, region, name, legal representative), and nothing else. */
function listState(world: LoadWorld, rows: ListRow[]): Finding {
  const t = new Tally('list entries = what the client was told');
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const e of world.entries.values()) {
    const row = byId.get(e.id);
    if (!row) {
      t.miss(1, `entry ${e.id} accepted but not stored`);
      continue;
    }
    const status = e.expiring ? 'expired' : e.status;
    if (row.status !== status) t.miss(1, `entry ${e.id} is ${row.status}, expected ${status}`);
    if (row.region !== e.region) t.miss(1, `entry ${e.id} region ${row.region}, expected ${e.region}`);
    if (row.subject_name !== e.name) t.miss(1, `entry ${e.id} name ${row.subject_name}, expected ${e.name}`);
    if (row.has_rep !== e.hasRep) t.miss(1, `entry ${e.id} legal representative ${row.has_rep}, expected ${e.hasRep}`);
  }
  for (const row of rows) if (!world.entries.has(row.id)) t.extra(1, `entry ${row.id} stored but never accepted`);
  return t.finding;
}

/**
 * measures' tasks are exactly what the final list state and the catalogue imply, recomputed here with
 * matching's own pure functions: every desired (entry, organisation) has one standing task carrying the
 * desired measures and the entry's region and name; no other task stands; a removed, expired or watched
 * entry has none standing. measures has seen every entry's last version.
 */
async function tasksAsImplied(s: Schemas, rows: ListRow[]): Promise<Finding> {
  const t = new Tally('tasks = final list state × catalogue');
  const catalogue = new Map<string, CatalogueMeasure[]>();
  for (const type of new Set(rows.map((r) => r.list_type))) {
    catalogue.set(
      type,
      await s.measures.query<CatalogueMeasure>(
        `SELECT ms.code AS id, ms.text, ms.applies_to AS "appliesTo", ms.subject_kinds AS "subjectKinds",
                ms.feedback_due_working_days AS "feedbackDueWorkingDays", to_char(ms.effective_from, 'YYYY-MM-DD') AS "effectiveFrom",
                to_char(ms.effective_to, 'YYYY-MM-DD') AS "effectiveTo", ms.scope_region AS "scopeRegion", lt.name AS "listTypeName",
                json_agg(json_build_object('code', o.code, 'name', o.name) ORDER BY o.code) AS implementers
         FROM measures ms JOIN list_types lt ON lt.code = ms.list_type
         JOIN measure_implementers i ON i.measure_code = ms.code JOIN organizations o ON o.code = i.organization_code
         WHERE ms.list_type = $1 GROUP BY ms.code, lt.name ORDER BY ms.code`,
        [type],
      ),
    );
  }
  const reassignments = new Map<string, Reassignment[]>();
  for (const r of await s.measures.query<{
    entry_id: string;
    measure_id: string;
    from_organization: string;
    code: string;
    name: string;
  }>(
    `SELECT r.entry_id, r.measure_id, r.from_organization, o.code, o.name FROM task_reassignments r JOIN organizations o ON o.code = r.to_organization
     ORDER BY r.reassigned_at, r.measure_id`,
  )) {
    reassignments.set(r.entry_id, [
      ...(reassignments.get(r.entry_id) ?? []),
      { measureId: r.measure_id, from: r.from_organization, to: { code: r.code, name: r.name } },
    ]);
  }
  const tasks = await s.measures.query<{
    id: string;
    entry_id: string;
    organization: string;
    status: string;
    measures: { id: string }[];
    region: string;
    subject: { name: string };
  }>(`SELECT id, entry_id, organization, status, measures, region, subject FROM tasks`);
  const tasksOf = new Map<string, typeof tasks>();
  for (const task of tasks) tasksOf.set(task.entry_id, [...(tasksOf.get(task.entry_id) ?? []), task]);
  const seen = new Map(
    (await s.measures.query<{ entry_id: string; version: number }>(`SELECT entry_id, version FROM entry_states`)).map(
      (r) => [r.entry_id, r.version],
    ),
  );
  const listed = new Set(rows.map((r) => r.id));
  for (const row of rows) {
    const version = seen.get(row.id) ?? 0;
    if (version < row.version)
      t.miss(row.version - version, `measures saw entry ${row.id} up to version ${version} of ${row.version}`);
    // matching's date: the listing date for a first version, the day of the change after that
    const onDate = row.version === 1 ? row.listed_at : row.changed_on;
    const desired = matchMeasures(
      reassignMeasures(catalogue.get(row.list_type) ?? [], reassignments.get(row.id) ?? []),
      {
        status: row.status,
        region: row.region,
        subject: { kind: row.subject_kind, hasLegalRepresentative: row.has_rep },
      },
      onDate,
    );
    const standing = new Map(
      (tasksOf.get(row.id) ?? [])
        .filter((x) => x.status === 'open' || x.status === 'acknowledged')
        .map((x) => [x.organization, x]),
    );
    for (const d of desired) {
      const task = standing.get(d.organization);
      const want = d.measures.map((m) => m.id).join(',');
      if (!task) t.miss(1, `entry ${row.id} (${row.status}) has no standing task for ${d.organization}`);
      else if (task.measures.map((m) => m.id).join(',') !== want)
        t.miss(1, `task ${task.id} carries ${task.measures.map((m) => m.id).join(',')}, expected ${want}`);
      else if (task.region !== row.region)
        t.miss(1, `task ${task.id} region ${task.region}, entry ${row.id} is in ${row.region}`);
      else if (task.subject.name !== row.subject_name)
        t.miss(1, `task ${task.id} names ${task.subject.name}, entry ${row.id} ${row.subject_name}`);
    }
    const wanted = new Set(desired.map((d) => d.organization));
    for (const task of standing.values()) {
      if (wanted.has(task.organization)) continue;
      // a standing task of an entry that no longer punishes is a revocation that never happened
      if (desired.length === 0) t.miss(1, `task ${task.id} of ${row.status} entry ${row.id} is still ${task.status}`);
      else t.extra(1, `task ${task.id} for ${task.organization} on entry ${row.id} should not exist`);
    }
  }
  for (const task of tasks)
    if (!listed.has(task.entry_id)) t.extra(1, `task ${task.id} of unknown entry ${task.entry_id}`);
  return t.finding;
}

/** The feed holds every change of every task once: versions exactly 1..version. */
async function feedComplete(s: Schemas): Promise<Finding> {
  const t = new Tally('feed: each task version once');
  const rows = await s.measures.query<{
    id: string;
    version: number;
    status: string;
    n: number;
    d: number;
    beyond: number;
    last_status: string | null;
  }>(
    `SELECT t.id, t.version, t.status, count(c.seq)::int AS n,
            count(DISTINCT c.task_version) FILTER (WHERE c.task_version BETWEEN 1 AND t.version)::int AS d,
            count(c.seq) FILTER (WHERE c.task_version NOT BETWEEN 1 AND t.version)::int AS beyond,
            (array_agg(c.task ->> 'status' ORDER BY c.task_version DESC))[1] AS last_status
     FROM tasks t LEFT JOIN task_changes c ON c.task_id = t.id GROUP BY t.id`,
  );
  for (const r of rows) {
    t.miss(r.version - r.d, `task ${r.id} at version ${r.version} has ${r.d} of its versions in the feed`);
    t.extra(r.n - r.d - r.beyond, `task ${r.id} has repeated feed rows`);
    t.extra(r.beyond, `task ${r.id} has feed rows outside versions 1..${r.version}`);
    if (r.last_status !== null && r.last_status !== r.status)
      t.miss(1, `task ${r.id} is ${r.status} but its last feed row says ${r.last_status}`);
  }
  const orphans = await s.measures.count(
    `SELECT 1 FROM task_changes c WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = c.task_id)`,
  );
  t.extra(orphans, `${orphans} feed rows of tasks that do not exist`);
  return t.finding;
}

/** feedback's copy of the tasks agrees with measures' tasks (version, status, organisation, region, measures). */
async function taskCopy(s: Schemas): Promise<Finding> {
  const t = new Tally("feedback's task copy = measures' tasks");
  type Copy = {
    id: string;
    version: number;
    status: string;
    organization: string;
    region: string;
    measure_ids: string[];
  };
  const tasks = await s.measures.query<Copy>(
    `SELECT id, version, status, organization, region, ARRAY(SELECT m ->> 'id' FROM jsonb_array_elements(measures) m) AS measure_ids FROM tasks`,
  );
  const copy = new Map(
    (
      await s.feedback.query<Copy>(`SELECT id, version, status, organization, region, measure_ids FROM known_tasks`)
    ).map((r) => [r.id, r]),
  );
  for (const task of tasks) {
    const known = copy.get(task.id);
    copy.delete(task.id);
    if (!known) t.miss(task.version, `feedback does not know task ${task.id}`);
    else if (known.version !== task.version || known.status !== task.status) {
      if (known.version < task.version)
        t.miss(
          task.version - known.version,
          `feedback has task ${task.id} at version ${known.version} (${known.status}), measures ${task.version} (${task.status})`,
        );
      else
        t.extra(
          1,
          `feedback has task ${task.id} at version ${known.version} (${known.status}), measures ${task.version} (${task.status})`,
        );
    } else if (
      known.organization !== task.organization ||
      known.region !== task.region ||
      known.measure_ids.join(',') !== task.measure_ids.join(',')
    ) {
      t.miss(1, `feedback's task ${task.id} differs in organisation, region or measures`);
    }
  }
  for (const id of copy.keys()) t.extra(1, `feedback knows task ${id} that measures does not have`);
  return t.finding;
}

type Counted = Record<string, unknown>;

function compareCounts(
  t: Tally,
  what: string,
  rollup: Counted[],
  recount: Counted[],
  keys: string[],
  counters: string[],
): void {
  const id = (r: Counted) => keys.map((k) => String(r[k])).join('|');
  const recounted = new Map(recount.map((r) => [id(r), r]));
  const rolled = new Map(rollup.map((r) => [id(r), r]));
  for (const key of new Set([...recounted.keys(), ...rolled.keys()])) {
    for (const c of counters) {
      const diff = Number(rolled.get(key)?.[c] ?? 0) - Number(recounted.get(key)?.[c] ?? 0);
      if (diff > 0) t.extra(diff, `${what} ${key} ${c} is ${diff} above the recount`);
      if (diff < 0) t.miss(-diff, `${what} ${key} ${c} is ${-diff} below the recount`);
    }
  }
}

const TASK_COUNTERS = ['dispatched', 'acknowledged', 'due', 'fed_back', 'on_time', 'items_final', 'items_implemented'];

/**
 * The statistics equal a recount from the raw rows: the task and item rollups against known_tasks,
 * feedback and feedback_items (an item's outcome is that of the latest standing feedback naming it),
 * the entry rollup against known_entries; and feedback's entry copy is at each entry's last version.
 */
async function statistics(s: Schemas, rows: ListRow[]): Promise<Finding> {
  const t = new Tally('statistics = recount from raw rows');
  const nonZero = TASK_COUNTERS.map((c) => `${c} <> 0`).join(' OR ');
  const items = `
    items AS (
      SELECT t.id AS task_id, m AS measure_id, coalesce(km.memorandum, '') AS memorandum, cur.outcome, cur.final_since
      FROM known_tasks t CROSS JOIN unnest(t.measure_ids) m
      LEFT JOIN known_measures km ON km.code = m
      LEFT JOIN LATERAL (
        SELECT fi.outcome, fi.final_since FROM feedback f JOIN feedback_items fi ON fi.feedback_id = f.id AND fi.version = f.version AND fi.measure_id = m
        WHERE f.task_id = t.id AND f.cancelled_at IS NULL ORDER BY f.updated_at DESC, f.id DESC LIMIT 1) cur ON true),
    tagged AS (
      SELECT t.*, i.measure_id, i.memorandum, i.outcome, i.final_since,
             (t.revoked_at IS NULL OR t.revoked_at >= t.due_at) AS is_due, (i.outcome IS NOT NULL AND i.outcome <> 'in-progress') AS final
      FROM known_tasks t JOIN items i ON i.task_id = t.id)`;
  compareCounts(
    t,
    'task_rollup',
    await s.feedback.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, organization, list_type, city, ${TASK_COUNTERS.join(', ')} FROM task_rollup WHERE ${nonZero}`,
    ),
    await s.feedback.query(
      `WITH ${items},
       per_task AS (
         SELECT id, dispatched_on, organization, list_type, city, due_at, acknowledged_at, bool_or(is_due) AS is_due,
                CASE WHEN bool_and(final) THEN max(final_since) END AS done,
                count(*) FILTER (WHERE final) AS final_items, count(*) FILTER (WHERE outcome = 'implemented') AS implemented_items
         FROM tagged GROUP BY id, dispatched_on, organization, list_type, city, due_at, acknowledged_at)
       SELECT to_char(dispatched_on, 'YYYY-MM-DD') AS day, organization, list_type, city,
              count(*)::int AS dispatched, count(acknowledged_at)::int AS acknowledged, count(*) FILTER (WHERE is_due)::int AS due,
              count(*) FILTER (WHERE is_due AND done IS NOT NULL)::int AS fed_back,
              count(*) FILTER (WHERE is_due AND done IS NOT NULL AND (due_at IS NULL OR done <= due_at))::int AS on_time,
              coalesce(sum(final_items) FILTER (WHERE is_due), 0)::int AS items_final,
              coalesce(sum(implemented_items) FILTER (WHERE is_due), 0)::int AS items_implemented
       FROM per_task GROUP BY 1, 2, 3, 4`,
    ),
    ['day', 'organization', 'list_type', 'city'],
    TASK_COUNTERS,
  );
  compareCounts(
    t,
    'item_rollup',
    await s.feedback.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, memorandum, organization, list_type, city, ${TASK_COUNTERS.join(', ')} FROM item_rollup WHERE ${nonZero}`,
    ),
    await s.feedback.query(
      `WITH ${items}
       SELECT to_char(dispatched_on, 'YYYY-MM-DD') AS day, memorandum, organization, list_type, city,
              count(*)::int AS dispatched, count(acknowledged_at)::int AS acknowledged, count(*) FILTER (WHERE is_due)::int AS due,
              count(*) FILTER (WHERE is_due AND final)::int AS fed_back,
              count(*) FILTER (WHERE is_due AND final AND (due_at IS NULL OR final_since <= due_at))::int AS on_time,
              count(*) FILTER (WHERE is_due AND final)::int AS items_final,
              count(*) FILTER (WHERE is_due AND final AND outcome = 'implemented')::int AS items_implemented
       FROM tagged GROUP BY 1, 2, 3, 4, 5`,
    ),
    ['day', 'memorandum', 'organization', 'list_type', 'city'],
    TASK_COUNTERS,
  );
  compareCounts(
    t,
    'entry_rollup',
    await s.feedback.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, city, list_type, subject_kind, national, entries, committed, trained FROM entry_rollup
       WHERE entries <> 0 OR committed <> 0 OR trained <> 0`,
    ),
    await s.feedback.query(
      `SELECT to_char(listed_on, 'YYYY-MM-DD') AS day, city, list_type, subject_kind, national, count(*)::int AS entries,
              count(*) FILTER (WHERE commitment)::int AS committed, count(*) FILTER (WHERE training)::int AS trained
       FROM known_entries GROUP BY 1, 2, 3, 4, 5`,
    ),
    ['day', 'city', 'list_type', 'subject_kind', 'national'],
    ['entries', 'committed', 'trained'],
  );
  const copy = new Map(
    (await s.feedback.query<{ id: string; version: number }>(`SELECT id, version FROM known_entries`)).map((r) => [
      r.id,
      r.version,
    ]),
  );
  for (const row of rows) {
    const version = copy.get(row.id) ?? 0;
    if (version < row.version)
      t.miss(1, `feedback's copy of entry ${row.id} is at version ${version} of ${row.version}`);
  }
  return t.finding;
}

/**
 * Every feedback the client had accepted is stored and mirrored into measures' task, and each task the
 * client reported on (once) holds exactly one feedback record: a retry is never recorded twice.
 */
async function feedbackRecorded(s: Schemas, world: LoadWorld): Promise<Finding> {
  const t = new Tally('feedback recorded once and mirrored');
  const stored = await s.feedback.query<{ id: string; task_id: string }>(`SELECT id, task_id FROM feedback`);
  const byId = new Map(stored.map((r) => [r.id, r.task_id]));
  const perTask = new Map<string, number>();
  for (const r of stored) perTask.set(r.task_id, (perTask.get(r.task_id) ?? 0) + 1);
  const mirrored = new Set(
    (await s.measures.query<{ feedback_id: string }>(`SELECT feedback_id FROM task_feedback`)).map(
      (r) => r.feedback_id,
    ),
  );
  const reported = new Set(world.feedback.map((f) => f.taskId));
  for (const f of world.feedback) {
    if (byId.get(f.id) !== f.taskId) t.miss(1, `feedback ${f.id} on task ${f.taskId} accepted but not stored`);
    if (!mirrored.has(f.id)) t.miss(1, `feedback ${f.id} not mirrored into measures' task ${f.taskId}`);
  }
  for (const [taskId, n] of perTask) {
    const expected = reported.has(taskId) ? 1 : 0;
    if (n > expected) t.extra(n - expected, `task ${taskId} holds ${n} feedback records, the client sent ${expected}`);
  }
  return t.finding;
}

/** The final list state as list-ingestion holds it. */
export function listRows(s: Schemas): Promise<ListRow[]> {
  return s.lists.query<ListRow>(
    `SELECT id, version, status, list_type, subject_kind, legal_rep_name IS NOT NULL AS has_rep, subject_name, region,
            to_char(listed_at, 'YYYY-MM-DD') AS listed_at, to_char(updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS changed_on
     FROM list_entries`,
  );
}

/** Every check of the state against what the client did. */
export async function checkState(s: Schemas, world: LoadWorld): Promise<Finding[]> {
  const rows = await listRows(s);
  return [
    listState(world, rows),
    await tasksAsImplied(s, rows),
    await feedComplete(s),
    await taskCopy(s),
    await statistics(s, rows),
    await feedbackRecorded(s, world),
  ];
}
