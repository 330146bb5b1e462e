import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaProbe, testEnvironment, waitFor } from '@jrp/testing';
import { checkState, Finding, Schemas } from './support/checks';
import { RetryingClient } from './support/client';
import { Deployment, ServiceName } from './support/deployment';
import { SuiteKafka, SuitePostgres } from './support/infrastructure';
import { FEEDBACK_ORGANIZATIONS, LoadGenerator, LoadPlan, LoadWorld, PUBLISHER } from './support/load';
import { checkDeadLetters, injectPoisonAndDuplicates, InjectedPoison } from './support/poison';
import { QuietWatch, withBus } from './support/bus';

/**
 * The fault suite (npm run test:faults): the three services as separate processes on the suite's own
 * PostgreSQL and Kafka broker, a steady load of list changes and feedback through the HTTP API, and in
 * turn a fault in the middle of each load: kill -9 of each service, a rebalance (one of two replicas
 * killed), the broker down for longer than the clients' retry budget, PostgreSQL down, poison and
 * duplicates on every topic. Once quiet, the state is checked exactly against what the client did and
 * what the catalogue implies. Prints a table; every row must show zero lost and zero duplicated.
 */

/** About 2,000 list changes per scenario, and feedback on a share of three departments' tasks. */
const PLAN: LoadPlan = { listings: 1200, corrections: 400, removals: 400, feedbackShare: 0.3 };
/** The fault starts once this share of the load is done. */
const FAULT_AT = 0.4;
/** kafkajs in KafkaBus retries 8 times, 200 ms doubling to at most 5 s: about 21 s. The broker stays down longer. */
const BROKER_DOWN_MS = 40_000;
const DATABASE_DOWN_MS = 15_000;
const QUIET_TIMEOUT_MS = 240_000;
const SCENARIO_TIMEOUT_MS = 10 * 60_000;

const say = (line: string) => process.stdout.write(`[faults] ${line}\n`);

/** The last warnings and errors of every service's log: what a failed row needs when only CI's output is left. */
function sayLogTails(folder: string, lines = 15): void {
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.log'))) {
    const tail = readFileSync(join(folder, file), 'utf8')
      .split('\n')
      .filter((line) => /WARN|ERROR/.test(line))
      .slice(-lines);
    say(`${file}, its last ${tail.length} warnings and errors:\n  ${tail.join('\n  ')}`);
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  fault: string;
  sent: number;
  lost: number;
  duplicated: number;
  /** From the fault's end to quiet. */
  recovery: number;
  /** How long the load ran, and from its last request to quiet. */
  load: number;
  drain: number;
}

describe('fault suite: crashes, outages, rebalances, poison and duplicates under load', () => {
  // as root, the embedded PostgreSQL runs as `postgres`: the suite's own folder lets it in (when the folders
  // above do not, its data lives where that user can reach it: postgres.dataDir)
  const root = mkdtempSync(join(tmpdir(), 'jrp-faults-'));
  chmodSync(root, 0o755);
  const postgres = new SuitePostgres(join(root, 'pg'));
  const kafka = new SuiteKafka(join(root, 'kafka'), say);
  const rows: Row[] = [];
  const poison: InjectedPoison[] = [];
  let deployment: Deployment;
  let world: LoadWorld;
  let schemas: Schemas;
  let quiet: QuietWatch;

  beforeAll(async () => {
    const started = Date.now();
    await Promise.all([postgres.start(), kafka.start()]);
    process.env.DATABASE_URL = postgres.url;
    process.env.KAFKA_BROKERS = kafka.brokers;
    const env = testEnvironment('', {
      JRP_BUS: 'kafka',
      KAFKA_TOPIC_PARTITIONS: '3',
      // a dead member's partitions move after the session timeout: short, so a rebalance is quick
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
      JRP_RATE_LIMIT_PER_MINUTE: '1000000',
      JRP_EXPIRY_INTERVAL_MS: '5000',
      LOG_LEVEL: 'log',
    });
    deployment = new Deployment(env, root);
    await deployment.startAll();
    schemas = {
      lists: new SchemaProbe(postgres.url, 'list_ingestion'),
      measures: new SchemaProbe(postgres.url, 'measures'),
      feedback: new SchemaProbe(postgres.url, 'feedback'),
    };
    quiet = new QuietWatch(kafka.brokers, schemas);
    const client = new RetryingClient((path) => deployment.urlFor(path));
    const tokens = new Map<string, string>();
    for (const code of [PUBLISHER, ...FEEDBACK_ORGANIZATIONS]) {
      const answer = await client.send('POST', `/api/v1/admin/organizations/${code}/tokens`, env.JRP_ADMIN_TOKEN!, {
        label: 'fault suite',
      });
      if (answer.status !== 201) throw new Error(`token for ${code}: ${answer.status} ${JSON.stringify(answer.body)}`);
      tokens.set(code, answer.body.token);
    }
    world = new LoadWorld(client, tokens);
    await waitFor(
      'the catalogue copied by list-ingestion and feedback',
      async () =>
        (await schemas.lists.count('SELECT 1 FROM known_list_types')) > 0 &&
        (await schemas.feedback.count('SELECT 1 FROM known_measures')) > 0,
      60000,
      250,
    );
    say(
      `PostgreSQL and Apache Kafka ${kafka.version} of the suite's own, three services up in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${root}`,
    );
  }, 5 * 60_000);

  afterAll(async () => {
    printTable(rows);
    await deployment?.stopAll('SIGKILL');
    await kafka.stop();
    await postgres.stop();
    // the data and the logs stay for a look when a row failed
    if (rows.length === 7 && rows.every((r) => r.lost === 0 && r.duplicated === 0)) {
      rmSync(root, { recursive: true, force: true });
      if (postgres.dataDir) rmSync(postgres.dataDir, { recursive: true, force: true });
    } else say(`data and service logs kept in ${root} (PostgreSQL's data: ${postgres.dataDir})`);
  }, 2 * 60_000);

  /**
   * One row: the load runs, `fault` starts once FAULT_AT of it is done and returns when the fault is
   * over; then, once quiet, every check runs over the whole state (all scenarios so far).
   */
  async function scenario(name: string, fault: () => Promise<{ extraSent?: number }>): Promise<void> {
    say(
      `${name}: load ${PLAN.listings} listings, ${PLAN.corrections} corrections, ${PLAN.removals} removals/moves, feedback on ${PLAN.feedbackShare * 100} % of ${FEEDBACK_ORGANIZATIONS.join(', ')}'s tasks`,
    );
    const load = new LoadGenerator(world, PLAN);
    const started = Date.now();
    let faultEnded = 0;
    let faultRun: Promise<{ extraSent?: number }> | undefined;
    const result = await load
      .run((share) => {
        if (share < FAULT_AT || faultRun) return;
        say(`${name}: fault starts at ${(share * 100).toFixed(0)} % of the load`);
        faultRun = fault().then((r) => {
          faultEnded = Date.now();
          say(`${name}: fault over`);
          return r;
        });
      })
      .catch(async (error) => {
        say(`${name}: the load failed: ${(error as Error).message}`);
        await faultRun?.catch(() => undefined); // the next scenario starts with the fault over
        throw error;
      });
    const { extraSent = 0 } = (await faultRun) ?? {};
    say(
      `${name}: load done in ${result.seconds.toFixed(1)} s (${result.listChanges} list changes, ${result.feedback} feedback, ${result.requests} requests, ${result.retries} retried)`,
    );
    const quietAt = await quiet.waitQuiet(QUIET_TIMEOUT_MS).catch((error) => {
      say(`${name}: ${(error as Error).message}`);
      sayLogTails(root);
      throw error;
    });
    const checking = Date.now();
    const findings: Finding[] = await checkState(schemas, world);
    findings.push(await withBus(kafka.brokers, (bus) => checkDeadLetters(bus, kafka.brokers, poison)));
    say(
      `${name}: quiet ${((quietAt - faultEnded) / 1000).toFixed(1)} s after the fault ended (${((quietAt - started) / 1000).toFixed(1)} s after the load started); checks took ${((Date.now() - checking) / 1000).toFixed(1)} s`,
    );
    const lost = findings.reduce((n, f) => n + f.lost, 0);
    const duplicated = findings.reduce((n, f) => n + f.duplicated, 0);
    rows.push({
      fault: name,
      sent: result.listChanges + result.feedback + extraSent,
      lost,
      duplicated,
      recovery: (quietAt - faultEnded) / 1000,
      load: result.seconds,
      drain: (quietAt - started) / 1000 - result.seconds,
    });
    for (const f of findings.filter((x) => x.lost || x.duplicated))
      say(`${name}: ${f.check}: ${f.lost} lost, ${f.duplicated} duplicated\n  ${f.examples.join('\n  ')}`);
    expect(findings.filter((f) => f.lost > 0)).toEqual([]);
    expect(findings.filter((f) => f.duplicated > 0)).toEqual([]);
  }

  const killAndRestart = (service: ServiceName) => async () => {
    await deployment.kill(service, 0, 'SIGKILL');
    await deployment.start(service, 0);
    return {};
  };

  for (const service of ['list-ingestion', 'measures', 'feedback'] as ServiceName[]) {
    it(
      `kill -9 ${service}, restart`,
      () => scenario(`kill -9 ${service}`, killAndRestart(service)),
      SCENARIO_TIMEOUT_MS,
    );
  }

  it(
    'two replicas of measures and of feedback, one of each killed (rebalance)',
    async () => {
      await Promise.all([deployment.start('measures', 1), deployment.start('feedback', 1)]);
      await scenario('rebalance: 1 of 2 measures and feedback killed', async () => {
        await Promise.all([deployment.kill('measures', 0, 'SIGKILL'), deployment.kill('feedback', 0, 'SIGKILL')]);
        // the survivors take the dead members' partitions once their sessions time out
        await sleep(10_000);
        await Promise.all([deployment.start('measures', 0), deployment.start('feedback', 0)]);
        return {};
      });
      await deployment.scaleDown();
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'the broker down longer than the retry budget, restarted',
    () =>
      scenario(`broker down ${BROKER_DOWN_MS / 1000} s`, async () => {
        await kafka.stop();
        await sleep(BROKER_DOWN_MS);
        await kafka.start();
        return {};
      }),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'PostgreSQL down, restarted',
    () =>
      scenario(`PostgreSQL down ${DATABASE_DOWN_MS / 1000} s`, async () => {
        await postgres.stop();
        await sleep(DATABASE_DOWN_MS);
        await postgres.start();
        return {};
      }),
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'poison and duplicated events on every topic',
    () =>
      scenario('poison and duplicates on every topic', async () => {
        const injected = await withBus(kafka.brokers, (bus) => injectPoisonAndDuplicates(bus, 100));
        poison.push(...injected.poison);
        return { extraSent: injected.poison.length + injected.duplicates };
      }),
    SCENARIO_TIMEOUT_MS,
  );
});

function printTable(rows: Row[]): void {
  const header = ['fault', 'events sent', 'lost', 'duplicated', 'recovery (s)', 'load ran (s)', 'quiet after load (s)'];
  const cells = rows.map((r) => [
    r.fault,
    String(r.sent),
    String(r.lost),
    String(r.duplicated),
    r.recovery.toFixed(1),
    r.load.toFixed(1),
    r.drain.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    `| ${c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join(' | ')} |`;
  process.stdout.write(
    `\n${[line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n')}\n` +
      'recovery: from the end of the fault to quiet (outboxes empty, every group caught up), the rest of the load included\n\n',
  );
}
