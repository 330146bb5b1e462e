import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Topics } from '@jrp/contracts';
import {
  dropSchemas,
  provideTestDatabase,
  provideTestKafka,
  SchemaProbe,
  ServiceProcess,
  testEnvironment,
  uniquePrefix,
  waitFor,
} from '@jrp/testing';
import { benchBaselines } from './baselines.bench';
import { benchChecks, seedCheckSubjects, SubjectRange } from './checks.bench';
import { benchCheckIndex } from './check-index.bench';
import { benchChecksBatch } from './checks-batch.bench';
import { benchFanOut } from './fanout.bench';
import { benchFeed } from './feed.bench';
import { benchFeedback, copyTopic } from './feedback.bench';
import { benchLatency } from './latency.bench';
import { settle } from './settle';
import { benchLists } from './lists.bench';
import { benchReload } from './reload.bench';
import { benchReplicas } from './replicas.bench';
import { courtDebtorEntry, MemoryWatch, printRows, printTable, Results } from './support';
import { targetOf, targetsOf, targetText } from './targets';

/** In the order they run: each part leaves what the next ones read (the fan-out's tasks for the feed reads, …). */
const PARTS = [
  'lists',
  'baselines',
  'fanout',
  'latency',
  'feed',
  'checks',
  'checks-batch',
  'replicas',
  'reload',
  'check-index',
  'feedback',
] as const;
const MEMORY_TARGET_MB = 300;

/** JRP_BENCH_ONLY=checks (or a comma-separated list of PARTS): run only those parts. */
function benchParts(only: string | undefined): Set<string> {
  const parts = only ? only.split(',').map((p) => p.trim()) : [...PARTS];
  const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length)
    throw new Error(`JRP_BENCH_ONLY: unknown part(s) ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  if (parts.includes('feed') && !parts.includes('fanout'))
    throw new Error('JRP_BENCH_ONLY: feed reads the tasks the fan-out leaves; add fanout');
  return new Set(parts);
}

/** A numeric option from the environment, or its default. */
function option(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: ${text} is not a number ≥ 0`);
  return value;
}

/** A comma-separated list of numbers from the environment (each > 0), or its default. */
function numbers(name: string, fallback: number[]): number[] {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const values = text.split(',').map((t) => Number(t.trim()));
  if (values.some((v) => !Number.isFinite(v) || v <= 0))
    throw new Error(`${name}: ${text} is not a list of numbers > 0`);
  return values;
}

/**
 * `npm run bench`: its own PostgreSQL and Kafka broker (or DATABASE_URL / KAFKA_BROKERS), the services
 * as separate processes, each figure printed as it is measured, then one table and
 * bench/results/<timestamp>.json — written also when a part fails (with the error; exit code 1).
 */
async function main(): Promise<number> {
  const results = new Results();
  const say = (line: string) => results.say(line);
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  const parts = benchParts(process.env.JRP_BENCH_ONLY);
  const options = {
    importRows: option('JRP_BENCH_IMPORT_ROWS', 50_000),
    baselineRows: option('JRP_BENCH_BASELINE_ROWS', 200_000),
    fanOutExtraEntries: option('JRP_BENCH_FANOUT_EXTRA_ENTRIES', 0),
    latencyRates: numbers('JRP_BENCH_LATENCY_RATES', [100, 300]),
    latencySeconds: option('JRP_BENCH_LATENCY_SECONDS', 30),
    latencyTimeoutSeconds: option('JRP_BENCH_LATENCY_TIMEOUT_SECONDS', 30),
    feedItems: option('JRP_BENCH_FEED_ITEMS', 200_000),
    checkSeconds: option('JRP_BENCH_CHECK_SECONDS', 20),
    checkStepSeconds: option('JRP_BENCH_CHECK_STEP_SECONDS', 5),
    checkListedShare: option('JRP_BENCH_CHECK_LISTED_SHARE', 0.1),
    checkSubjects: option('JRP_BENCH_CHECK_SUBJECTS', 20_000),
    replicaEntries: option('JRP_BENCH_REPLICA_ENTRIES', 20_000),
    reloadEntries: option('JRP_BENCH_RELOAD_ENTRIES', 300_000),
    checkIndexSubjects: option('JRP_BENCH_CHECK_INDEX_SUBJECTS', 1_000_000),
    feedbackTasks: option('JRP_BENCH_FEEDBACK_TASKS', 1_000_000),
    feedbackWriteSeconds: option('JRP_BENCH_FEEDBACK_WRITE_SECONDS', 20),
    feedbackClients: option('JRP_BENCH_FEEDBACK_CLIENTS', 8),
    idleSeconds: option('JRP_BENCH_IDLE_SECONDS', 30),
    settleSeconds: option('JRP_BENCH_SETTLE_SECONDS', 300),
  };
  const external = Boolean(process.env.DATABASE_URL || process.env.KAFKA_BROKERS);
  const db = await provideTestDatabase(say);
  const kafka = await provideTestKafka(say);
  process.env.DATABASE_URL = db.url;
  process.env.KAFKA_BROKERS = kafka.brokers;
  const brokers = kafka.brokers.split(',');
  const dir = mkdtempSync(join(tmpdir(), 'jrp-bench-'));
  const prefix = uniquePrefix('bench');
  const env = testEnvironment(prefix, {
    JRP_BUS: 'kafka',
    JRP_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    JRP_RATE_LIMIT_PER_MINUTE: '100000',
  });
  const verifyKey = createPublicKey(
    createPrivateKey({ key: Buffer.from(env.JRP_TOKEN_SIGNING_KEY!, 'base64'), format: 'der', type: 'pkcs8' }),
  )
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
  const verifying = { JRP_TOKEN_SIGNING_KEY: undefined, JRP_TOKEN_VERIFY_KEY: verifyKey };
  // JRP_BENCH_CPU_PROFILE=<dir>: CPU profiles of the services (open them in Chrome DevTools)
  const profile = process.env.JRP_BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.JRP_BENCH_CPU_PROFILE}`]
    : [];
  const measures = new ServiceProcess('apps/measures/src/main.js', env, join(dir, 'measures.log'), profile);
  // the replicas part's second measures: same schema, topics and consumer group, its own port
  const measures2 = new ServiceProcess('apps/measures/src/main.js', env, join(dir, 'measures-2.log'), profile);
  const listIngestion = new ServiceProcess(
    'apps/list-ingestion/src/main.js',
    { ...env, ...verifying },
    join(dir, 'list-ingestion.log'),
    profile,
  );
  // feedback runs only for its part, on a topic prefix of its own: it consumes nothing the other parts
  // published (the fan-out's tasks would otherwise become its rollups), only a copy of the catalogue
  const feedbackPrefix = `${prefix}fb.`;
  const feedback = new ServiceProcess(
    'apps/feedback/src/main.js',
    { ...env, ...verifying, JRP_TOPIC_PREFIX: feedbackPrefix },
    join(dir, 'feedback.log'),
    profile,
  );
  const memory = new MemoryWatch();
  memory.watch('list-ingestion', listIngestion);
  memory.watch('measures', measures);
  memory.watch('measures', measures2);
  memory.watch('feedback', feedback);
  /** Stops a service, its memory peak read first. */
  const stop = async (service: ServiceProcess) => {
    memory.sample();
    await service.kill('SIGTERM');
  };

  const seconds: Record<string, number> = {};
  let failure: { part: string; message: string } | undefined;
  let current = 'start-up';
  const part = async (name: (typeof PARTS)[number], run: () => Promise<void>) => {
    if (!parts.has(name)) return;
    current = name;
    memory.during(name);
    const started = Date.now();
    say(`${name}: started`);
    try {
      await run();
    } finally {
      seconds[name] = Math.round((Date.now() - started) / 100) / 10;
      say(`${name}: ${seconds[name]} s`);
    }
  };

  say(`logs in ${dir}; schemas and topics prefixed ${prefix}; parts: ${[...parts].join(', ')}`);
  try {
    await measures.start();
    await listIngestion.start();
    const issued = await fetch(`${measures.url}/api/v1/admin/organizations/AH-COURT/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.JRP_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'bench' }),
    });
    const { token } = (await issued.json()) as { token: string };
    await waitFor(
      'list types known to list-ingestion',
      async () => {
        const res = await fetch(`${listIngestion.url}/api/v1/lists/entries/batch`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          // a dry run of a complete entry (nothing is stored): rejected while the list type is unknown
          body: JSON.stringify({ dryRun: true, entries: [courtDebtorEntry(0)] }),
        });
        const body = (await res.json()) as { counts?: { created: number } };
        return res.status === 200 && body.counts?.created === 1;
      },
      60000,
      200,
    );
    // measures stays down until the fan-out: the entries below are its backlog
    if (parts.has('fanout')) await stop(measures);
    const probes = {
      lists: new SchemaProbe(db.url, `${prefix}list_ingestion`),
      measures: new SchemaProbe(db.url, `${prefix}measures`),
    };

    await part('lists', async () => {
      say(`lists: importing ${options.importRows.toLocaleString('en-US')} rows, then 5 batches of 10,000`);
      await benchLists(listIngestion, token, dir, options.importRows, results);
    });
    let baselines: { copy: number; kafka: number } | undefined;
    await part('baselines', async () => {
      say(`baselines: COPY and kafkajs, ${options.baselineRows.toLocaleString('en-US')} each`);
      baselines = await benchBaselines(db.url, `${prefix}measures`, brokers, options.baselineRows, results);
      const lists = results.summary.lists as { importRows: number; importEntriesPerSecond: number } | undefined;
      if (lists) {
        const ratio = Math.round((lists.importEntriesPerSecond / baselines.copy) * 1000) / 1000;
        results.add({
          name: `import: ${lists.importRows.toLocaleString('en-US')}-row CSV ÷ the COPY baseline`,
          value: Math.round(ratio * 1000) / 10,
          unit: '%',
          target: targetText(targetOf('importRatioToCopyBaseline')),
        });
        results.summary.lists = { ...lists, importRatioToCopyBaseline: ratio };
      }
    });
    await part('fanout', async () => {
      // without the lists part, the fan-out publishes the import's subjects itself (through the batch API)
      const publish = [
        ...(parts.has('lists') ? [] : [{ from: 1_000_000, count: options.importRows }]),
        { from: 3_000_000, count: options.fanOutExtraEntries },
      ];
      say('fan-out: measures starts on every entry published so far');
      const fanOut = await benchFanOut(listIngestion, measures, token, probes, publish, results);
      if (baselines) {
        const ratio = Math.round((fanOut.tasksPerSecond / Math.min(baselines.copy, baselines.kafka)) * 1000) / 1000;
        results.add({
          name: 'fan-out ÷ slower baseline',
          value: Math.round(ratio * 1000) / 10,
          unit: '%',
          target: targetText(targetOf('fanOutRatioToSlowerBaseline')),
        });
        results.summary.fanOut = { ...(results.summary.fanOut as object), ratioToSlowerBaseline: ratio };
      }
    });
    /** Before a part that measures latency: the machine settled after the parts before it (`settle`). */
    const settled = async (name: string) => {
      if (options.settleSeconds === 0) return;
      const wait = await settle(probes.measures, options.settleSeconds);
      const { busyShare, autovacuumWorkers } = wait.last;
      say(
        `${name}: waited ${wait.waitedSeconds} s for the machine to settle (${wait.settled ? 'settled' : 'NOT settled'}: ` +
          `${Math.round(busyShare * 100)} % busy, ${autovacuumWorkers} autovacuum workers)`,
      );
      results.summary.settle = { ...(results.summary.settle as object), [name]: wait };
    };
    await part('latency', async () => {
      await settled('latency');
      await benchLatency(
        { listIngestion, measures },
        { publisher: token, admin: env.JRP_ADMIN_TOKEN! },
        probes.measures,
        {
          rates: options.latencyRates,
          seconds: options.latencySeconds,
          timeoutSeconds: options.latencyTimeoutSeconds,
        },
        results,
      );
    });
    await part('feed', () => benchFeed(measures, env.JRP_ADMIN_TOKEN!, probes.measures, options.feedItems, results));
    await part('checks', async () => {
      // the subjects the lists part (or the fan-out without it) listed, else subjects published for the checks alone
      const subjects: SubjectRange[] = parts.has('lists')
        ? [
            { from: 1_000_000, count: options.importRows },
            { from: 2_000_000, count: 50_000 },
          ]
        : parts.has('fanout')
          ? [{ from: 1_000_000, count: options.importRows }]
          : [await seedCheckSubjects(listIngestion, token, probes.measures, options.checkSubjects)];
      await waitFor(
        'every listed subject matched',
        async () =>
          (await probes.measures.count(`SELECT * FROM entry_states WHERE status = 'active'`)) >=
          subjects.reduce((n, r) => n + r.count, 0),
        30 * 60 * 1000,
        1000,
      );
      await settled('checks');
      say(
        `checks: ${Math.round(options.checkListedShare * 100)} % of them about listed subjects, against measures alone`,
      );
      await benchChecks(
        measures,
        env.JRP_ADMIN_TOKEN!,
        probes.measures,
        subjects,
        {
          listedShare: options.checkListedShare,
          steadySeconds: options.checkSeconds,
          stepSeconds: options.checkStepSeconds,
        },
        results,
      );
    });
    await part('checks-batch', () => benchChecksBatch(measures, env.JRP_ADMIN_TOKEN!, probes.measures, env, results));
    await part('replicas', () =>
      benchReplicas(listIngestion, [measures, measures2], stop, token, probes, options.replicaEntries, results),
    );
    await part('reload', async () => {
      say(
        `reload: ${options.reloadEntries.toLocaleString('en-US')} entries through the batch API while measures is stopped`,
      );
      await benchReload(listIngestion, measures, stop, token, probes, options.reloadEntries, results);
    });
    await part('check-index', () =>
      benchCheckIndex(
        measures,
        stop,
        env.JRP_ADMIN_TOKEN!,
        probes.measures,
        env,
        { subjects: options.checkIndexSubjects, idleSeconds: options.idleSeconds },
        results,
      ),
    );
    await part('feedback', async () => {
      await feedback.start();
      const copied = await copyTopic(brokers, `${prefix}${Topics.Catalogue}`, `${feedbackPrefix}${Topics.Catalogue}`);
      say(
        `feedback: on topics of its own, with the ${copied} catalogue events copied; ${options.feedbackTasks.toLocaleString('en-US')} tasks and their feedback by COPY, then writes and reports through HTTP`,
      );
      await benchFeedback(
        feedback,
        measures,
        env.JRP_ADMIN_TOKEN!,
        db.url,
        `${prefix}feedback`,
        {
          tasks: options.feedbackTasks,
          writeSeconds: options.feedbackWriteSeconds,
          concurrency: options.feedbackClients,
        },
        results,
      );
    });

    // steady state: each service's resident memory once the load is over and it has been idle a while
    current = 'memory';
    await new Promise((r) => setTimeout(r, options.idleSeconds * 1000));
  } catch (error) {
    failure = { part: current, message: (error as Error).stack ?? String(error) };
    console.error(`[bench] ${current} failed:`, error);
  }

  const steady = failure ? new Map<string, number>() : memory.current();
  memory.sample();
  memory.stop();
  for (const { service, peak } of memory.services) {
    const rss = steady.get(service);
    const note = `peak ${peak.mb} MB (VmHWM, during ${peak.during})`;
    if (rss === undefined)
      results.add({
        name: `memory: ${service}, peak (the run failed before the idle reading)`,
        value: peak.mb,
        unit: 'MB',
      });
    else
      results.add({
        name: `memory: ${service}, resident when idle after the load`,
        value: rss,
        unit: 'MB',
        target: `< ${MEMORY_TARGET_MB} MB`,
        note,
      });
  }
  results.summary.memory = Object.fromEntries(
    memory.services.map(({ service, peak }) => [
      service,
      { peakMb: peak.mb, peakDuring: peak.during, steadyMb: steady.get(service) ?? null },
    ]),
  );

  for (const service of [feedback, measures2, listIngestion, measures])
    await service.kill('SIGTERM').catch(() => undefined);
  if (external && !process.env.JRP_BENCH_KEEP_DATA) {
    // the shared services keep nothing of this run: its schemas and topics go
    await dropSchemas(db.url, prefix).catch((error) =>
      say(`schemas of ${prefix} not dropped: ${(error as Error).message}`),
    );
    const admin = new Kafka({ clientId: 'jrp-bench', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await admin
      .deleteTopics({ topics })
      .catch((error) => say(`topics of ${prefix} not deleted: ${(error as Error).message}`));
    await admin.disconnect();
  }
  await kafka.stop();
  await db.stop();

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Kafka ${kafka.version}`;
  const total = Math.round((Date.now() - startedAt.getTime()) / 1000);
  const title = `jrp benchmark — ${startedAt.toISOString()} — ${machine} — ${total} s${failure ? ` — FAILED in ${failure.part}` : ''}`;
  say(
    `time per part: ${Object.entries(seconds)
      .map(([name, s]) => `${name} ${s} s`)
      .join(', ')}`,
  );
  printTable(title, results.figures);
  const targets = targetsOf(results.summary);
  printRows(
    'targets (issue 21)',
    ['figure', 'value', 'target', 'met'],
    targets.map((t) => [
      t.label,
      t.value === null ? '—' : `${t.value.toLocaleString('en-US')} ${t.unit}`,
      t.target,
      t.note ?? (t.met === null ? 'not measured' : t.met ? 'yes' : 'NO'),
    ]),
  );
  mkdirSync(join(__dirname, '..', '..', 'bench', 'results'), { recursive: true });
  const file = join(__dirname, '..', '..', 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: startedAt.toISOString(),
        machine,
        seconds: total,
        partSeconds: seconds,
        loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] },
        options,
        parts: [...parts],
        ...(failure ? { error: failure } : {}),
        ...results.summary,
        targets,
        figures: results.figures,
      },
      null,
      2,
    ),
  );
  console.log(`results: ${file}`);
  return failure ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
