import 'reflect-metadata';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { provideTestDatabase, provideTestKafka, SchemaProbe, ServiceProcess, testEnvironment, uniquePrefix, waitFor } from '@jrp/testing';
import { benchBaselines } from './baselines.bench';
import { benchChecks, seedCheckSubjects, SubjectRange } from './checks.bench';
import { benchFanOut } from './fanout.bench';
import { benchFeedback } from './feedback.bench';
import { benchLists } from './lists.bench';
import { Figure, printTable } from './support';

const PARTS = ['lists', 'baselines', 'fanout', 'checks', 'feedback'] as const;

/** JRP_BENCH_ONLY=checks (or a comma-separated list of PARTS): run only those parts. */
function benchParts(only: string | undefined): Set<string> {
  const parts = only ? only.split(',').map((p) => p.trim()) : [...PARTS];
  const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`JRP_BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  return new Set(parts);
}

/**
 * `npm run bench`: its own PostgreSQL and Kafka broker (or DATABASE_URL / KAFKA_BROKERS), the services
 * as separate processes, one table of figures, and bench/results/<timestamp>.json.
 */
async function main(): Promise<void> {
  const say = (line: string) => console.log(`[bench] ${line}`);
  const parts = benchParts(process.env.JRP_BENCH_ONLY);
  const db = await provideTestDatabase(say);
  const kafka = await provideTestKafka(say);
  process.env.DATABASE_URL = db.url;
  process.env.KAFKA_BROKERS = kafka.brokers;
  const dir = mkdtempSync(join(tmpdir(), 'jrp-bench-'));
  const prefix = uniquePrefix('bench');
  const env = testEnvironment(prefix, { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn', JRP_RATE_LIMIT_PER_MINUTE: '100000' });
  const verifyKey = createPublicKey(createPrivateKey({ key: Buffer.from(env.JRP_TOKEN_SIGNING_KEY!, 'base64'), format: 'der', type: 'pkcs8' }))
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
  // JRP_BENCH_CPU_PROFILE=<dir>: CPU profiles of the services (open them in Chrome DevTools)
  const profile = process.env.JRP_BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.JRP_BENCH_CPU_PROFILE}`] : [];
  const measures = new ServiceProcess('apps/measures/src/main.js', env, join(dir, 'measures.log'), profile);
  const listIngestion = new ServiceProcess(
    'apps/list-ingestion/src/main.js',
    { ...env, JRP_TOKEN_SIGNING_KEY: undefined, JRP_TOKEN_VERIFY_KEY: verifyKey },
    join(dir, 'list-ingestion.log'),
    profile,
  );

  // feedback runs only for its part: 1,000,000 tasks copied into its schema, then writes and reports through HTTP
  const feedback = new ServiceProcess('apps/feedback/src/main.js', { ...env, JRP_TOKEN_SIGNING_KEY: undefined, JRP_TOKEN_VERIFY_KEY: verifyKey }, join(dir, 'feedback.log'), profile);

  const figures: Figure[] = [];
  const summary: Record<string, unknown> = {};
  try {
    await measures.start();
    await listIngestion.start();
    const issued = await fetch(`${measures.url}/api/v1/admin/organizations/AH-COURT/tokens`, {
      method: 'POST', headers: { Authorization: `Bearer ${env.JRP_ADMIN_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ label: 'bench' }),
    });
    const { token } = (await issued.json()) as { token: string };
    await waitFor('list types known to list-ingestion', async () => {
      const res = await fetch(`${listIngestion.url}/api/v1/lists/entries/batch`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ entries: [{}] }),
      });
      const body = (await res.json()) as { results?: { errors?: { field: string }[] }[] };
      return res.status === 200 && body.results !== undefined;
    }, 60000, 200);
    // measures stays down until the fan-out: the entries below are its backlog
    if (parts.has('fanout')) await measures.kill('SIGTERM');
    const rows = Number(process.env.JRP_BENCH_IMPORT_ROWS ?? 100000);
    if (parts.has('lists')) {
      say(`lists: importing ${rows.toLocaleString('en-US')} rows, then 5 batches of 10,000`);
      figures.push(...(await benchLists(listIngestion, token, dir, rows)));
    }

    const probes = { lists: new SchemaProbe(db.url, `${prefix}list_ingestion`), measures: new SchemaProbe(db.url, `${prefix}measures`) };
    let baselines: Awaited<ReturnType<typeof benchBaselines>> | undefined;
    if (parts.has('baselines')) {
      const baselineRows = Number(process.env.JRP_BENCH_BASELINE_ROWS ?? 200000);
      say(`baselines: COPY and kafkajs, ${baselineRows.toLocaleString('en-US')} each`);
      baselines = await benchBaselines(db.url, `${prefix}measures`, kafka.brokers.split(','), baselineRows);
      figures.push(...baselines.figures);
      summary.baselines = { copyRowsPerSecond: baselines.copy, kafkaMessagesPerSecond: baselines.kafka };
    }
    if (parts.has('fanout')) {
      const extra = Number(process.env.JRP_BENCH_FANOUT_EXTRA_ENTRIES ?? 0);
      say('fan-out: measures starts on every entry published so far');
      const fanOut = await benchFanOut(listIngestion, measures, token, probes, extra);
      figures.push(...fanOut.figures);
      summary.fanOut = { entries: fanOut.entries, tasks: fanOut.tasks, seconds: fanOut.seconds, tasksPerSecond: fanOut.tasksPerSecond };
      if (baselines) {
        const ratio = Math.round((fanOut.tasksPerSecond / Math.min(baselines.copy, baselines.kafka)) * 1000) / 1000;
        figures.push({ name: 'fan-out ÷ slower baseline', value: Math.round(ratio * 100), unit: '%', target: '≥ 25 %' });
        summary.fanOut = { ...(summary.fanOut as object), ratioToSlowerBaseline: ratio };
      }
    }
    if (parts.has('checks')) {
      // the subjects the lists part listed, or (without it) subjects published for the checks alone
      const subjects: SubjectRange[] = parts.has('lists')
        ? [{ from: 1_000_000, count: rows }, { from: 2_000_000, count: 50_000 }]
        : [await seedCheckSubjects(listIngestion, token, probes.measures, Number(process.env.JRP_BENCH_CHECK_SUBJECTS ?? 20000))];
      await waitFor('every listed subject matched', async () =>
        (await probes.measures.count(`SELECT * FROM entry_states WHERE status = 'active'`)) >= subjects.reduce((n, r) => n + r.count, 0), 30 * 60 * 1000, 1000);
      const listedShare = Number(process.env.JRP_BENCH_CHECK_LISTED_SHARE ?? 0.1);
      say(`checks: ${Math.round(listedShare * 100)} % of them about listed subjects, against measures alone`);
      const checks = await benchChecks(measures, env.JRP_ADMIN_TOKEN!, probes.measures, subjects, {
        listedShare, steadySeconds: Number(process.env.JRP_BENCH_CHECK_SECONDS ?? 20), stepSeconds: Number(process.env.JRP_BENCH_CHECK_STEP_SECONDS ?? 10),
      });
      figures.push(...checks.figures);
      summary.checks = {
        listedSubjects: checks.listedSubjects, listedShare, loadAverageAtStart: checks.loadAverage, measuresCpuMsPerCheck: checks.cpuPerCheck, steady: checks.steady,
        highestRateWithP99Under50ms: checks.best?.rate ?? 0, steps: checks.steps,
      };
    }
    if (parts.has('feedback')) {
      await feedback.start();
      const tasks = Number(process.env.JRP_BENCH_FEEDBACK_TASKS ?? 1_000_000);
      say(`feedback: ${tasks.toLocaleString('en-US')} tasks and their feedback by COPY, then writes and reports through HTTP`);
      const result = await benchFeedback(feedback, measures, env.JRP_ADMIN_TOKEN!, db.url, `${prefix}feedback`, {
        tasks, writeSeconds: Number(process.env.JRP_BENCH_FEEDBACK_WRITE_SECONDS ?? 20), concurrency: Number(process.env.JRP_BENCH_FEEDBACK_CLIENTS ?? 8),
      }, say);
      figures.push(...result.figures);
      summary.feedback = result.summary;
    }
  } finally {
    await feedback.kill('SIGTERM');
    await listIngestion.kill('SIGTERM');
    await measures.kill('SIGTERM');
    await kafka.stop();
    await db.stop();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Kafka ${kafka.version}`;
  printTable(`jrp benchmark — ${new Date().toISOString()} — ${machine}`, figures);
  mkdirSync(join(__dirname, '..', '..', 'bench', 'results'), { recursive: true });
  const file = join(__dirname, '..', '..', 'bench', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), machine, ...summary, figures }, null, 2));
  console.log(`results: ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
