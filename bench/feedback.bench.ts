import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SchemaProbe, ServiceProcess, waitFor } from '@jrp/testing';
import seed from '../apps/measures/src/catalogue/seed/catalogue.seed.json';
import { cpuMs, percentile, Results } from './support';

const DAY = 86_400_000;
const CITIES = [
  '340100',
  '340200',
  '340300',
  '340400',
  '340500',
  '340600',
  '340700',
  '340800',
  '341000',
  '341100',
  '341200',
  '341300',
  '341500',
  '341600',
  '341700',
  '341800',
];
const LIST_TYPES = ['BL-COURT-DEBTOR', 'BL-COURT-DEBTOR', 'BL-COURT-DEBTOR', 'BL-COURT-DEBTOR', 'BL-TAX-MAJOR-CASE'];
const OUTCOMES = ['implemented', 'implemented', 'implemented', 'not-applicable', 'no-business'];

/** Which measures each organisation implements for a list type, from the seed catalogue. */
function implementers(listType: string): { organization: string; measures: { id: string; memorandum: string }[] }[] {
  const byOrganization = new Map<string, { id: string; memorandum: string }[]>();
  for (const m of seed.measures.filter((x) => x.listType === listType)) {
    for (const o of m.implementingOrganizations)
      byOrganization.set(o, [...(byOrganization.get(o) ?? []), { id: m.code, memorandum: m.memorandum }]);
  }
  return [...byOrganization].map(([organization, measures]) => ({ organization, measures }));
}

/** The tables the generator fills, each with one COPY. */
const TABLES = [
  'known_entries',
  'known_tasks',
  'task_items',
  'feedback',
  'feedback_versions',
  'feedback_items',
  'cases',
] as const;
type Table = (typeof TABLES)[number];
const COLUMNS: Record<Table, string> = {
  known_entries: 'id, version, list_type, subject_kind, national, city, listed_on, commitment, training',
  known_tasks: `id, version, entry_id, organization, organization_name, list_type, list_type_name, region, city, measure_ids, status,
    dispatched_at, dispatched_on, due_at, acknowledged_at, revoked_at, fed_back_at`,
  task_items: 'task_id, measure_id, memorandum, outcome, final_at, feedback_id',
  feedback: 'id, version, task_id, organization, recorded_at, updated_at, recorded_by_token',
  feedback_versions: 'feedback_id, version, kind, recorded_at, recorded_by_token',
  feedback_items: 'feedback_id, version, measure_id, outcome, implemented_at, final_since',
  cases:
    'id, task_id, organization, list_type, measure_ids, memoranda, title, occurred_on, region, city, description, effect, publishable, recorded_at, recorded_by_token',
};

/**
 * The keys and indexes of `tables` (foreign keys pointing at them included), as the statements that
 * drop them and those that build them again exactly as they were: loading into bare tables and
 * building each index once, sorted, is much faster than maintaining them row by row.
 */
async function keysAndIndexes(client: Client, tables: readonly string[]): Promise<{ drop: string[]; build: string[] }> {
  const { rows: constraints } = await client.query<{ tbl: string; name: string; def: string; type: string }>(
    `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def, contype AS type FROM pg_constraint
     WHERE contype IN ('p', 'u', 'f') AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[]))`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def FROM pg_index i
     WHERE indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))`,
    [tables],
  );
  const foreign = constraints.filter((c) => c.type === 'f');
  const unique = constraints.filter((c) => c.type !== 'f');
  const dropConstraint = (c: { tbl: string; name: string }) => `ALTER TABLE ${c.tbl} DROP CONSTRAINT "${c.name}"`;
  const addConstraint = (c: { tbl: string; name: string; def: string }) =>
    `ALTER TABLE ${c.tbl} ADD CONSTRAINT "${c.name}" ${c.def}`;
  return {
    drop: [
      ...foreign.map(dropConstraint),
      ...unique.map(dropConstraint),
      ...indexes.map((i) => `DROP INDEX ${i.name}`),
    ],
    build: [...indexes.map((i) => i.def), ...unique.map(addConstraint), ...foreign.map(addConstraint)],
  };
}

/**
 * One COPY per table, all running at once on their own connections while the generator feeds them.
 * Each table is emptied in the COPY's transaction, so the rows are loaded frozen (`COPY … FREEZE`):
 * the state a vacuumed table is in, without rewriting every page to get there.
 */
class TableLoader {
  private readonly clients = new Map<Table, Client>();
  private readonly inputs = new Map<Table, PassThrough>();
  private readonly loads = new Map<Table, Promise<void>>();
  private readonly buffered = new Map<Table, string>();

  constructor(
    private readonly url: string,
    private readonly schema: string,
  ) {}

  async open(): Promise<void> {
    for (const table of TABLES) {
      const client = new Client({ connectionString: this.url, options: `-c search_path=${this.schema}` });
      this.clients.set(table, client);
      await client.connect();
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${table}`);
      const input = new PassThrough();
      const load = pipeline(
        input,
        client.query(copyFrom(`COPY ${table} (${COLUMNS[table]}) FROM STDIN WITH (FREEZE)`)),
      );
      load.catch(() => undefined); // awaited in close() or flush(); a failure must not go unhandled meanwhile
      this.inputs.set(table, input);
      this.loads.set(table, load);
      this.buffered.set(table, '');
    }
  }

  /** Queues a row (text format, ending with a newline). */
  push(table: Table, row: string): void {
    this.buffered.set(table, this.buffered.get(table)! + row);
  }

  /** Hands the queued rows to their COPY, waiting for a COPY that is behind. */
  async flush(min = 1 << 16): Promise<void> {
    for (const table of TABLES) {
      const chunk = this.buffered.get(table)!;
      if (chunk.length < min || chunk.length === 0) continue;
      this.buffered.set(table, '');
      if (!this.inputs.get(table)!.write(chunk))
        await Promise.race([once(this.inputs.get(table)!, 'drain'), this.loads.get(table)]);
    }
  }

  async close(): Promise<void> {
    await this.flush(0);
    for (const input of this.inputs.values()) input.end();
    await Promise.all(this.loads.values());
    for (const client of this.clients.values()) await client.query('COMMIT');
  }

  async end(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.end().catch(() => undefined)));
  }
}

interface Generated {
  tasks: number;
  items: number;
  feedback: number;
  open: { id: string; organization: string; measures: string[] }[];
  /** Seconds of each step: copy, keys and indexes, rollups, vacuum. */
  phases: Record<string, number>;
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
  const loader = new TableLoader(url, schema);
  const byType = new Map(LIST_TYPES.map((t) => [t, implementers(t)]));
  const start = Date.parse('2025-12-01T00:00:00+08:00');
  const open: Generated['open'] = [];
  let n = 0;
  const iso = (t: number) => new Date(t).toISOString();
  const phases: Record<string, number> = {};
  let phaseStarted = Date.now();
  const phase = (name: string) => {
    phases[name] = Math.round((Date.now() - phaseStarted) / 100) / 10;
    phaseStarted = Date.now();
  };
  try {
    const keys = await keysAndIndexes(client, TABLES);
    for (const statement of keys.drop) await client.query(statement);
    await loader.open();
    const rows = { tasks: 0, items: 0, feedback: 0 };
    for (let e = 0; rows.tasks < target; e++) {
      const listType = LIST_TYPES[e % LIST_TYPES.length];
      const city = CITIES[(e * 7) % CITIES.length];
      const listedAt = start + (e % 330) * DAY + 9 * 3600_000;
      const listedOn = iso(listedAt + 8 * 3600_000).slice(0, 10);
      const entryId = randomUUID();
      const national = e % 3 === 0;
      const repairing = listType === 'BL-TAX-MAJOR-CASE' && e % 2 === 0;
      loader.push(
        'known_entries',
        `${entryId}\t1\t${listType}\tlegal\t${national}\t${city}\t${listedOn}\t${repairing}\t${repairing && e % 4 === 0}\n`,
      );
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
          loader.push('feedback', `${fid}\t1\t${id}\t${organization}\t${iso(at)}\t${iso(at)}\tbench\n`);
          loader.push('feedback_versions', `${fid}\t1\trecorded\t${iso(at)}\tbench\n`);
          measures.forEach((m, j) => {
            const outcome = OUTCOMES[(k + j) % OUTCOMES.length];
            loader.push(
              'feedback_items',
              `${fid}\t1\t${m.id}\t${outcome}\t${outcome === 'implemented' ? iso(at).slice(0, 10) : '\\N'}\t${iso(at)}\n`,
            );
            loader.push('task_items', `${id}\t${m.id}\t${m.memorandum}\t${outcome}\t${iso(at)}\t${fid}\n`);
          });
          rows.feedback++;
          if (k % 50 === 3) {
            loader.push(
              'cases',
              `${randomUUID()}\t${id}\t${organization}\t${listType}\t{${measures[0].id}}\t{${measures[0].memorandum}}\t基准案例${k}\t${iso(at).slice(0, 10)}\t${city}\t${city}\t案例描述\t实施效果\t${k % 100 === 3}\t${iso(at)}\tbench\n`,
            );
          }
        } else {
          measures.forEach((m) => loader.push('task_items', `${id}\t${m.id}\t${m.memorandum}\t\\N\t\\N\t\\N\n`));
          if (fate !== 0) open.push({ id, organization, measures: measures.map((m) => m.id) });
        }
        rows.items += measures.length;
        loader.push(
          'known_tasks',
          `${id}\t1\t${entryId}\t${organization}\t${organization}\t${listType}\t${listType}\t${city}\t${city}\t{${measures.map((m) => m.id).join(',')}}\t${revokedAt ? 'revoked' : 'open'}\t` +
            `${iso(listedAt)}\t${listedOn}\t${iso(dueAt)}\t${ack}\t${revokedAt ? iso(revokedAt) : '\\N'}\t${fedBackAt ? iso(fedBackAt) : '\\N'}\n`,
        );
        rows.tasks++;
      }
      await loader.flush();
    }
    await loader.close();
    phase('copy');
    say(
      `feedback: ${rows.tasks.toLocaleString('en-US')} tasks copied in ${phases.copy} s; building their keys and indexes`,
    );
    for (const statement of keys.build) await client.query(statement);
    phase('keys and indexes');
    say(
      `feedback: keys and indexes built in ${phases['keys and indexes']} s; building the rollups from the copied rows`,
    );
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
    await client.query(
      `INSERT INTO case_rollup (day, organization, list_type, city, cases) SELECT occurred_on, organization, list_type, city, count(*) FROM cases GROUP BY 1, 2, 3, 4`,
    );
    await client.query(`INSERT INTO case_memorandum_rollup (day, memorandum, organization, list_type, city, cases)
      SELECT occurred_on, m, organization, list_type, city, count(*) FROM cases, unnest(memoranda) m GROUP BY 1, 2, 3, 4, 5`);
    await client.query(`INSERT INTO entry_rollup (day, city, list_type, subject_kind, national, entries, committed, trained)
      SELECT listed_on, city, list_type, subject_kind, national, count(*), count(*) FILTER (WHERE commitment), count(*) FILTER (WHERE training) FROM known_entries GROUP BY 1, 2, 3, 4, 5`);
    phase('rollups');
    // the state autovacuum keeps a live database in: statistics and the visibility map (index-only scans); this schema's tables only
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1`,
      [schema],
    );
    await client.query(`VACUUM (ANALYZE) ${tables.map((t) => t.name).join(', ')}`);
    phase('vacuum');
    return { tasks: rows.tasks, items: rows.items, feedback: rows.feedback, open, phases };
  } finally {
    await loader.end();
    await client.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Copies every message of topic `from` to topic `to` (which must exist, with as many partitions), in
 * order, keys and headers kept: the catalogue for a feedback process on a topic prefix of its own.
 */
export async function copyTopic(brokers: string[], from: string, to: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'jrp-bench-copy', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${to}.bench-copy`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  try {
    const offsets = await admin.fetchTopicOffsets(from);
    const ends = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
    const total = offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
    await Promise.all([consumer.connect(), producer.connect()]);
    await consumer.subscribe({ topics: [from], fromBeginning: true });
    let copied = 0;
    await new Promise<void>((resolve, reject) => {
      if (total === 0) return resolve();
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            const messages = batch.messages.filter((m) => Number(m.offset) < ends.get(batch.partition)!);
            if (messages.length)
              await producer.send({
                topic: to,
                acks: -1,
                messages: messages.map((m) => ({
                  partition: batch.partition,
                  key: m.key,
                  value: m.value,
                  headers: m.headers,
                })),
              });
            copied += messages.length;
            if (copied >= total) resolve();
          },
        })
        .catch(reject);
    });
    return copied;
  } finally {
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

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
  results: Results,
): Promise<void> {
  const probe = new SchemaProbe(databaseUrl, schema);
  await waitFor(
    'feedback knows the catalogue',
    async () => (await probe.count('SELECT * FROM known_measures')) > 0,
    120000,
    500,
  );
  const started = Date.now();
  const data = await generate(databaseUrl, schema, options.tasks, (line) => results.say(line));
  const seconds = (Date.now() - started) / 1000;
  const steps = Object.entries(data.phases)
    .map(([name, s]) => `${name} ${s} s`)
    .join(', ');
  results.add({
    name: `feedback: data loaded (${data.tasks.toLocaleString('en-US')} tasks, ${data.items.toLocaleString('en-US')} items, ${data.feedback.toLocaleString('en-US')} feedback)`,
    value: Math.round(seconds),
    unit: 's',
    note: steps,
  });
  const summary: Record<string, unknown> = {
    tasks: data.tasks,
    items: data.items,
    feedback: data.feedback,
    loadSeconds: Math.round(seconds),
    loadPhases: data.phases,
  };
  results.summary.feedback = summary;

  const tokens = new Map<string, string>();
  const tokenOf = async (code: string) => {
    if (!tokens.has(code)) {
      const res = await fetch(`${measures.url}/api/v1/admin/organizations/${code}/tokens`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ label: 'bench' }),
      });
      if (res.status !== 201) throw new Error(`token for ${code}: ${res.status}`);
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
  const load = Math.round(loadavg()[0] * 100) / 100;
  const cpuBefore = cpuMs(feedback.pid!);
  const deadline = Date.now() + options.writeSeconds * 1000;
  const writeStart = Date.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let task = data.open[next++]; task && Date.now() < deadline; task = data.open[next++]) {
        const t0 = performance.now();
        const res = await fetch(`${feedback.url}/api/v1/feedback`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens.get(task.organization)}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            taskId: task.id,
            items: task.measures.map((measureId) => ({ measureId, outcome: 'no-business' })),
          }),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status === 201) items += task.measures.length;
        else failures++;
      }
    }),
  );
  const writeSeconds = (Date.now() - writeStart) / 1000;
  if (failures > 0) throw new Error(`feedback writes: ${failures} failed`);
  const itemsPerSecond = Math.round(items / writeSeconds);
  const cpuPerRequest = Math.round(((cpuMs(feedback.pid!) - cpuBefore) / latencies.length) * 10) / 10;
  const sorted = latencies.sort((a, b) => a - b);
  const writes = {
    itemsPerSecond,
    requests: latencies.length,
    p50Ms: Math.round(percentile(sorted, 50)),
    p99Ms: Math.round(percentile(sorted, 99)),
    concurrency: options.concurrency,
    feedbackCpuMsPerRequest: cpuPerRequest,
    loadAverageAtStart: load,
  };
  results.add({
    name: `feedback writes through HTTP (${options.concurrency} clients)`,
    value: itemsPerSecond,
    unit: 'items/s',
    note: `${Math.round((items / (latencies.length || 1)) * 10) / 10} items a request; p50 ${writes.p50Ms} ms, p99 ${writes.p99Ms} ms; feedback CPU ${cpuPerRequest} ms a request; load average ${load}`,
  });
  summary.writes = writes;

  const reports: [string, string, string][] = [
    ['completion by organisation', '/api/v1/reports/completion?groupBy=organization', office],
    ['completion by list type', '/api/v1/reports/completion?groupBy=listType', office],
    ['completion by memorandum (items)', '/api/v1/reports/completion?groupBy=memorandum', office],
    ['completion by city', '/api/v1/reports/completion?groupBy=region', office],
    ['completion by week', '/api/v1/reports/completion?groupBy=week', office],
    [
      'completion by organisation, one month',
      '/api/v1/reports/completion?groupBy=organization&from=2026-03-01&to=2026-03-31',
      office,
    ],
    ['completion by organisation, XLSX', '/api/v1/reports/completion?groupBy=organization&format=xlsx', office],
    ['overdue (督办), first 1,000', '/api/v1/reports/overdue', office],
    ['cases', '/api/v1/reports/cases', office],
    ['assessment', '/api/v1/reports/assessment', office],
    ['assessment, a city office', '/api/v1/reports/assessment', cityOffice],
  ];
  const scale = `${(data.tasks / 1e6).toLocaleString('en-US')}M tasks`;
  const reportMs: Record<string, number> = {};
  summary.reportMs = reportMs;
  for (const [name, path, token] of reports) {
    const times: number[] = [];
    for (let run = 0; run < 6; run++) {
      const t0 = performance.now();
      const res = await fetch(`${feedback.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (run > 0) times.push(performance.now() - t0);
    }
    reportMs[name] = Math.round(median(times));
    results.add({ name: `report: ${name} (${scale})`, value: reportMs[name], unit: 'ms', target: '< 1,000 ms' });
  }
}
