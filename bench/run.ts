import 'reflect-metadata';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { provideTestDatabase, provideTestKafka, SchemaProbe, ServiceProcess, testEnvironment, uniquePrefix, waitFor } from '@jrp/testing';
import { benchBaselines } from './baselines.bench';
import { benchFanOut } from './fanout.bench';
import { benchLists } from './lists.bench';
import { Figure, printTable } from './support';

/**
 * `npm run bench`: its own PostgreSQL and Kafka broker (or DATABASE_URL / KAFKA_BROKERS), the services
 * as separate processes, one table of figures, and bench/results/<timestamp>.json.
 */
async function main(): Promise<void> {
  const say = (line: string) => console.log(`[bench] ${line}`);
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
    await measures.kill('SIGTERM');
    const rows = Number(process.env.JRP_BENCH_IMPORT_ROWS ?? 100000);
    say(`lists: importing ${rows.toLocaleString('en-US')} rows, then 5 batches of 10,000`);
    figures.push(...(await benchLists(listIngestion, token, dir, rows)));

    const probes = { lists: new SchemaProbe(db.url, `${prefix}list_ingestion`), measures: new SchemaProbe(db.url, `${prefix}measures`) };
    const baselineRows = Number(process.env.JRP_BENCH_BASELINE_ROWS ?? 200000);
    say(`baselines: COPY and kafkajs, ${baselineRows.toLocaleString('en-US')} each`);
    const baselines = await benchBaselines(db.url, `${prefix}measures`, kafka.brokers.split(','), baselineRows);
    figures.push(...baselines.figures);
    const extra = Number(process.env.JRP_BENCH_FANOUT_EXTRA_ENTRIES ?? 0);
    say('fan-out: measures starts on every entry published so far');
    const fanOut = await benchFanOut(listIngestion, measures, token, probes, extra);
    const slower = Math.min(baselines.copy, baselines.kafka);
    const ratio = Math.round((fanOut.tasksPerSecond / slower) * 1000) / 1000;
    figures.push(...fanOut.figures, { name: 'fan-out ÷ slower baseline', value: Math.round(ratio * 100), unit: '%', target: '≥ 25 %' });
    summary.fanOut = { entries: fanOut.entries, tasks: fanOut.tasks, seconds: fanOut.seconds, tasksPerSecond: fanOut.tasksPerSecond, ratioToSlowerBaseline: ratio };
    summary.baselines = { copyRowsPerSecond: baselines.copy, kafkaMessagesPerSecond: baselines.kafka };
  } finally {
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
