import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SchemaProbe, ServiceProcess, waitFor } from '@jrp/testing';
import seed from '../apps/measures/src/catalogue/seed/catalogue.seed.json';
import { Figure } from './support';

const DAY = 86_400_000;
const CITIES = ['340100', '340200', '340300', '340400', '340500', '340600', '340700', '340800', '341000', '341100', '341200', '341300', '341500', '341600', '341700', '341800'];
const LIST_TYPES = ['BL-COURT-DEBTOR', 'BL-COURT-DEBTOR', 'BL-COURT-DEBTOR', 'BL-COURT-DEBTOR', 'BL-TAX-MAJOR-CASE'];
const OUTCOMES = ['implemented', 'implemented', 'implemented', 'not-applicable', 'no-business'];

/** Which measures each organisation implements for a list type, from the seed catalogue. */
function implementers(listType: string): { organization: string; measures: { id: string; memorandum: string }[] }[] {
  const byOrganization = new Map<string, { id: string; memorandum: string }[]>();
  for (const m of seed.measures.filter((x) => x.listType === listType)) {
    for (const o of m.implementingOrganizations) byOrganization.set(o, [...(byOrganization.get(o) ?? []), { id: m.code, memorandum: m.memorandum }]);
  }
  return [...byOrganization].map(([organization, measures]) => ({ organization, measures }));
}

/** COPY of text-format rows (each ending with a newline); empties the array. */
async function copy(client: Client, sql: string, rows: string[]): Promise<void> {
  let i = 0;
  const source = new Readable({
    read() {
      const chunk = rows.slice(i, i + 2000).join('');
      i += 2000;
      this.push(chunk || null);
    },
  });
  await pipeline(source, client.query(copyFrom(sql)));
  rows.length = 0;
}

interface Generated {
  tasks: number;
  items: number;
  feedback: number;
  open: { id: string; organization: string; measures: string[] }[];
}

/**
 * A year of tasks straight into feedback's schema (COPY), shaped like the seed catalogue's fan-out: 1
 * in 5 entries a repairable tax list, the rest 失信被执行人, spread over the 16 cities; 85 % of the tasks
 * fed back (some late), 5 % revoked before their due date, 10 % without feedback; then the rollups
 * built from those rows, as the events would have built them.
 */
async function generate(url: string, schema: string, target: number, say: (s: string) => void): Promise<Generated> {
  const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const byType = new Map(LIST_TYPES.map((t) => [t, implementers(t)]));
  const start = Date.parse('2025-12-01T00:00:00+08:00');
  const tasks: string[] = [];
  const items: string[] = [];
  const feedback: string[] = [];
  const versions: string[] = [];
  const feedbackItems: string[] = [];
  const entries: string[] = [];
  const cases: string[] = [];
  const open: Generated['open'] = [];
  let n = 0;
  const iso = (t: number) => new Date(t).toISOString();
  try {
    const rows = { tasks: 0, items: 0, feedback: 0 };
    const flush = async () => {
      await copy(client, `COPY known_tasks (id, version, entry_id, organization, organization_name, list_type, list_type_name, region, city, measure_ids, status,
        dispatched_at, dispatched_on, due_at, acknowledged_at, revoked_at, fed_back_at) FROM STDIN`, tasks);
      await copy(client, `COPY task_items (task_id, measure_id, memorandum, outcome, final_at, feedback_id) FROM STDIN`, items);
      await copy(client, `COPY feedback (id, version, task_id, organization, recorded_at, updated_at, recorded_by_token) FROM STDIN`, feedback);
      await copy(client, `COPY feedback_versions (feedback_id, version, kind, recorded_at, recorded_by_token) FROM STDIN`, versions);
      await copy(client, `COPY feedback_items (feedback_id, version, measure_id, outcome, implemented_at, final_since) FROM STDIN`, feedbackItems);
      await copy(client, `COPY known_entries (id, version, list_type, subject_kind, national, city, listed_on, commitment, training) FROM STDIN`, entries);
      await copy(client, `COPY cases (id, task_id, organization, list_type, measure_ids, memoranda, title, occurred_on, region, city, description, effect, publishable,
        recorded_at, recorded_by_token) FROM STDIN`, cases);
    };
    for (let e = 0; rows.tasks < target; e++) {
      const listType = LIST_TYPES[e % LIST_TYPES.length];
      const city = CITIES[(e * 7) % CITIES.length];
      const listedAt = start + (e % 330) * DAY + 9 * 3600_000;
      const listedOn = iso(listedAt + 8 * 3600_000).slice(0, 10);
      const entryId = randomUUID();
      const national = e % 3 === 0;
      const repairing = listType === 'BL-TAX-MAJOR-CASE' && e % 2 === 0;
      entries.push(`${entryId}\t1\t${listType}\tlegal\t${national}\t${city}\t${listedOn}\t${repairing}\t${repairing && e % 4 === 0}\n`);
      for (const { organization, measures } of byType.get(listType)!) {
        if (rows.tasks >= target) break;
        const id = randomUUID();
        const k = n++;
        const dueAt = listedAt + 14 * DAY;
        const fate = k % 20; // 0: revoked before due; 1–2: no feedback; the rest fed back (every 6th late)
        const revokedAt = fate === 0 ? listedAt + 2 * DAY : null;
        const ack = k % 10 < 7 ? iso(listedAt + DAY) : '\\N';
        let fedBackAt: number | null = null;
        if (fate >= 3) {
          const at = listedAt + (k % 6 === 0 ? 16 : 1 + (k % 12)) * DAY;
          fedBackAt = at;
          const fid = randomUUID();
          feedback.push(`${fid}\t1\t${id}\t${organization}\t${iso(at)}\t${iso(at)}\tbench\n`);
          versions.push(`${fid}\t1\trecorded\t${iso(at)}\tbench\n`);
          measures.forEach((m, j) => {
            const outcome = OUTCOMES[(k + j) % OUTCOMES.length];
            feedbackItems.push(`${fid}\t1\t${m.id}\t${outcome}\t${outcome === 'implemented' ? iso(at).slice(0, 10) : '\\N'}\t${iso(at)}\n`);
            items.push(`${id}\t${m.id}\t${m.memorandum}\t${outcome}\t${iso(at)}\t${fid}\n`);
          });
          rows.feedback++;
          if (k % 50 === 3) {
            cases.push(`${randomUUID()}\t${id}\t${organization}\t${listType}\t{${measures[0].id}}\t{${measures[0].memorandum}}\t基准案例${k}\t${iso(at).slice(0, 10)}\t${city}\t${city}\t案例描述\t实施效果\t${k % 100 === 3}\t${iso(at)}\tbench\n`);
          }
        } else {
          measures.forEach((m) => items.push(`${id}\t${m.id}\t${m.memorandum}\t\\N\t\\N\t\\N\n`));
          if (fate !== 0) open.push({ id, organization, measures: measures.map((m) => m.id) });
        }
        rows.items += measures.length;
        tasks.push(`${id}\t1\t${entryId}\t${organization}\t${organization}\t${listType}\t${listType}\t${city}\t${city}\t{${measures.map((m) => m.id).join(',')}}\t${revokedAt ? 'revoked' : 'open'}\t` +
          `${iso(listedAt)}\t${listedOn}\t${iso(dueAt)}\t${ack}\t${revokedAt ? iso(revokedAt) : '\\N'}\t${fedBackAt ? iso(fedBackAt) : '\\N'}\n`);
        rows.tasks++;
      }
      if (tasks.length >= 50_000) {
        await flush();
        if (rows.tasks % 200_000 < 50_000) say(`feedback: ${rows.tasks.toLocaleString('en-US')} tasks copied`);
      }
    }
    await flush();
    say('feedback: building the rollups from the copied rows');
    await client.query(`
      INSERT INTO task_rollup (day, organization, list_type, city, dispatched, acknowledged, due, fed_back, on_time, items_final, items_implemented)
      SELECT t.dispatched_on, t.organization, t.list_type, t.city, count(*), count(t.acknowledged_at),
             count(*) FILTER (WHERE d.due), count(*) FILTER (WHERE d.due AND t.fed_back_at IS NOT NULL),
             count(*) FILTER (WHERE d.due AND t.fed_back_at <= t.due_at), coalesce(sum(i.final) FILTER (WHERE d.due), 0), coalesce(sum(i.implemented) FILTER (WHERE d.due), 0)
      FROM known_tasks t
      CROSS JOIN LATERAL (SELECT (t.revoked_at IS NULL OR t.revoked_at >= t.due_at) AS due) d
      CROSS JOIN LATERAL (SELECT count(final_at) AS final, count(*) FILTER (WHERE outcome = 'implemented') AS implemented FROM task_items WHERE task_id = t.id) i
      GROUP BY 1, 2, 3, 4`);
    await client.query(`
      INSERT INTO item_rollup (day, memorandum, organization, list_type, city, dispatched, acknowledged, due, fed_back, on_time, items_final, items_implemented)
      SELECT t.dispatched_on, i.memorandum, t.organization, t.list_type, t.city, count(*), count(t.acknowledged_at), count(*) FILTER (WHERE d.due),
             count(i.final_at) FILTER (WHERE d.due), count(*) FILTER (WHERE d.due AND i.final_at <= t.due_at), count(i.final_at) FILTER (WHERE d.due),
             count(*) FILTER (WHERE d.due AND i.outcome = 'implemented')
      FROM known_tasks t JOIN task_items i ON i.task_id = t.id CROSS JOIN LATERAL (SELECT (t.revoked_at IS NULL OR t.revoked_at >= t.due_at) AS due) d
      GROUP BY 1, 2, 3, 4, 5`);
    await client.query(`INSERT INTO case_rollup (day, organization, list_type, city, cases) SELECT occurred_on, organization, list_type, city, count(*) FROM cases GROUP BY 1, 2, 3, 4`);
    await client.query(`INSERT INTO case_memorandum_rollup (day, memorandum, organization, list_type, city, cases)
      SELECT occurred_on, m, organization, list_type, city, count(*) FROM cases, unnest(memoranda) m GROUP BY 1, 2, 3, 4, 5`);
    await client.query(`INSERT INTO entry_rollup (day, city, list_type, subject_kind, national, entries, committed, trained)
      SELECT listed_on, city, list_type, subject_kind, national, count(*), count(*) FILTER (WHERE commitment), count(*) FILTER (WHERE training) FROM known_entries GROUP BY 1, 2, 3, 4, 5`);
    // the state autovacuum keeps a live database in: statistics and the visibility map (index-only scans)
    await client.query('VACUUM ANALYZE');
    return { tasks: rows.tasks, items: rows.items, feedback: rows.feedback, open };
  } finally {
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/**
 * Feedback at scale: `tasks` tasks and their feedback copied into the feedback service's schema; the
 * feedback write rate (measure items per second) through HTTP with concurrent clients; each report's
 * latency through HTTP (median of five after one warm-up), against the < 1 s target.
 */
export async function benchFeedback(
  feedback: ServiceProcess,
  measures: ServiceProcess,
  adminToken: string,
  databaseUrl: string,
  schema: string,
  options: { tasks: number; writeSeconds: number; concurrency: number },
  say: (s: string) => void,
): Promise<{ figures: Figure[]; summary: Record<string, unknown> }> {
  const probe = new SchemaProbe(databaseUrl, schema);
  await waitFor('feedback knows the catalogue', async () => (await probe.count('SELECT * FROM known_measures')) > 0, 120000, 500);
  const started = Date.now();
  const data = await generate(databaseUrl, schema, options.tasks, say);
  const seconds = (Date.now() - started) / 1000;
  say(`feedback: ${data.tasks.toLocaleString('en-US')} tasks, ${data.items.toLocaleString('en-US')} items, ${data.feedback.toLocaleString('en-US')} feedback in ${seconds.toFixed(0)} s`);

  const tokens = new Map<string, string>();
  const tokenOf = async (code: string) => {
    if (!tokens.has(code)) {
      const res = await fetch(`${measures.url}/api/v1/admin/organizations/${code}/tokens`, {
        method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ label: 'bench' }),
      });
      tokens.set(code, ((await res.json()) as { token: string }).token);
    }
    return tokens.get(code)!;
  };
  for (const code of new Set(data.open.map((t) => t.organization))) await tokenOf(code);
  const office = await tokenOf('AH-CREDIT-OFFICE');
  const cityOffice = await tokenOf('AH-C340100');

  // writes: each open task fed back once, every measure item final, by `concurrency` clients
  let next = 0;
  const latencies: number[] = [];
  let items = 0;
  let failures = 0;
  const deadline = Date.now() + options.writeSeconds * 1000;
  const writeStart = Date.now();
  await Promise.all(Array.from({ length: options.concurrency }, async () => {
    for (let task = data.open[next++]; task && Date.now() < deadline; task = data.open[next++]) {
      const t0 = performance.now();
      const res = await fetch(`${feedback.url}/api/v1/feedback`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens.get(task.organization)}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ taskId: task.id, items: task.measures.map((measureId) => ({ measureId, outcome: 'no-business' })) }),
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status === 201) items += task.measures.length;
      else failures++;
    }
  }));
  const writeSeconds = (Date.now() - writeStart) / 1000;
  const itemsPerSecond = Math.round(items / writeSeconds);
  if (failures > 0) throw new Error(`feedback writes: ${failures} failed`);

  const reports: [string, string, string][] = [
    ['completion by organisation', '/api/v1/reports/completion?groupBy=organization', office],
    ['completion by list type', '/api/v1/reports/completion?groupBy=listType', office],
    ['completion by memorandum (items)', '/api/v1/reports/completion?groupBy=memorandum', office],
    ['completion by city', '/api/v1/reports/completion?groupBy=region', office],
    ['completion by week', '/api/v1/reports/completion?groupBy=week', office],
    ['completion by organisation, one month', '/api/v1/reports/completion?groupBy=organization&from=2026-03-01&to=2026-03-31', office],
    ['completion by organisation, XLSX', '/api/v1/reports/completion?groupBy=organization&format=xlsx', office],
    ['overdue (督办), first 1,000', '/api/v1/reports/overdue', office],
    ['cases', '/api/v1/reports/cases', office],
    ['assessment', '/api/v1/reports/assessment', office],
    ['assessment, a city office', '/api/v1/reports/assessment', cityOffice],
  ];
  const latency: Record<string, number> = {};
  for (const [name, path, token] of reports) {
    const times: number[] = [];
    for (let run = 0; run < 6; run++) {
      const t0 = performance.now();
      const res = await fetch(`${feedback.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (run > 0) times.push(performance.now() - t0);
    }
    latency[name] = Math.round(median(times));
  }
  const scale = `${(data.tasks / 1e6).toLocaleString('en-US')}M tasks`;
  return {
    figures: [
      { name: `feedback: data copied (${data.tasks.toLocaleString('en-US')} tasks, ${data.items.toLocaleString('en-US')} items)`, value: Math.round(seconds), unit: 's' },
      { name: `feedback writes through HTTP (${options.concurrency} clients)`, value: itemsPerSecond, unit: 'items/s', note: `${Math.round(items / (latencies.length ? latencies.length : 1) * 10) / 10} items a request; p50 ${Math.round(median(latencies))} ms, p99 ${Math.round(percentile(latencies, 0.99))} ms` },
      ...reports.map(([name]) => ({ name: `report: ${name} (${scale})`, value: latency[name], unit: 'ms', target: '< 1,000 ms' })),
    ],
    summary: {
      tasks: data.tasks, items: data.items, feedback: data.feedback, copySeconds: Math.round(seconds),
      writes: { itemsPerSecond, requests: latencies.length, p50Ms: Math.round(median(latencies)), p99Ms: Math.round(percentile(latencies, 0.99)), concurrency: options.concurrency },
      reportMs: latency,
    },
  };
}
