import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { makeUscc, SchemaProbe, ServiceProcess, waitFor } from '@jrp/testing';
import { unsentTaskEvents } from './fanout.bench';
import { openLoop, OpenLoopResult } from './open-loop';
import { cpuMs, publishCourtDebtors, Results } from './support';
import { targetOf, targetText } from './targets';

/** Court-debtor subjects `makeUscc(from … from + count - 1)` with an entry in force and matched by measures. */
export interface SubjectRange {
  from: number;
  count: number;
}

export interface CheckBenchOptions {
  /** Share of checks that find the subject listed (the rest ask about subjects on no list). */
  listedShare: number;
  /** Seconds of the steady 500 requests/s run. */
  steadySeconds: number;
  /** Seconds of each step of the ramp that looks for the highest rate with p99 within the target (20 ms). */
  stepSeconds: number;
}

/** A run of the checks: `errors` counts answers other than a 200 with the expected `listed` (status code, socket error, wrong answer). */
export interface CheckStep extends OpenLoopResult {
  listed: number;
}

const RAILWAY = 'AH-RAILWAY'; // implements M01-01 on every 失信被执行人 entry: a listed subject links its task
/** issue 21: p99 ≤ 10 ms at a steady 500 requests/s */
const STEADY_TARGET = targetOf('checkP99At500PerSecondMs');
/** issue 21: the ramp looks for the highest rate with p99 ≤ 20 ms (target ≥ 2,000/s) */
const TARGET_P99_MS = 20;
const RAMP_UP = [750, 1000, 1500, 2000, 3000, 4000, 6000];
const RAMP_DOWN = [400, 300, 200, 100, 50];

/** A small deterministic generator, so two runs ask about the same subjects. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Publishes `count` court-debtor entries (legal subjects) through the batch API, for a run without the
 * list figures, and returns them once measures has matched every one.
 */
export async function seedCheckSubjects(
  listIngestion: ServiceProcess,
  token: string,
  measures: SchemaProbe,
  count: number,
): Promise<SubjectRange> {
  const range = { from: 4_000_000, count };
  await publishCourtDebtors(listIngestion, token, range.from, count);
  await waitFor(
    'check subjects matched',
    async () => (await measures.count(`SELECT * FROM entry_states WHERE status = 'active'`)) >= count,
    10 * 60 * 1000,
    1000,
  );
  return range;
}

/**
 * Counter-check latency against the measures process: open-loop load (requests leave on schedule
 * whether or not earlier ones have answered; latency counts from the scheduled time, so a stall is not
 * hidden), first a steady 500 requests/s, then steps of rising rate until p99 passes the target (20 ms). A share of
 * the checks finds the subject listed, which links the railway's task (a `checked` task change).
 */
export async function benchChecks(
  measures: ServiceProcess,
  adminToken: string,
  probe: SchemaProbe,
  subjects: SubjectRange[],
  options: CheckBenchOptions,
  results: Results,
): Promise<void> {
  // each counter system of the department has its token; the rate limit counts per token
  const tokens: string[] = [];
  for (let i = 0; i < 16; i++) {
    const res = await fetch(`${measures.url}/api/v1/admin/organizations/${RAILWAY}/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: `counter ${i}` }),
    });
    if (res.status !== 201) throw new Error(`check token: ${res.status}`);
    tokens.push(((await res.json()) as { token: string }).token);
  }
  const listedSubjects = subjects.reduce((n, r) => n + r.count, 0);
  const pick = random(20261130);
  const listedSubject = () => {
    let k = Math.floor(pick() * listedSubjects);
    for (const r of subjects) {
      if (k < r.count) return makeUscc(r.from + k);
      k -= r.count;
    }
    throw new Error('unreachable');
  };
  const unlistedSubject = () => makeUscc(9_000_000 + Math.floor(pick() * 1_000_000)); // numbers no bench entry uses
  const url = new URL('/api/v1/checks', measures.url);
  let serial = 0;
  let answered = 0;

  /** `rate` requests/s for `seconds`, open loop (bench/open-loop.ts). */
  async function run(rate: number, seconds: number): Promise<CheckStep> {
    const listedOf: boolean[] = [];
    let listed = 0;
    const result = await openLoop(
      url,
      rate,
      seconds,
      (i) => {
        const isListed = pick() < options.listedShare;
        listedOf[i] = isListed;
        return {
          headers: { Authorization: `Bearer ${tokens[i % tokens.length]}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            subject: { uscc: isListed ? listedSubject() : unlistedSubject() },
            businessType: '行政许可',
            reference: `BENCH-${++serial}`,
          }),
        };
      },
      (status, body, i) => {
        if (status !== 200) return String(status);
        answered++;
        if ((JSON.parse(body.toString()) as { listed: boolean }).listed !== listedOf[i]) return 'wrong answer';
        if (listedOf[i]) listed++;
        return null;
      },
    );
    return { ...result, listed };
  }

  /** Lets the relay send what the previous step left (task and audit events), so steps do not carry each other's backlog. */
  const settle = () => waitFor('checks’ events sent', async () => (await unsentTaskEvents(probe)) < 100, 120000, 250);

  // what the load generator alone sustains here, against a trivial server: the ramp's top rates are only
  // measurable when it can send them on time
  await settle();
  const generator = await generatorAlone([2000, RAMP_UP[RAMP_UP.length - 1]], options.stepSeconds, tokens[0], results);

  const checksBefore = await probe.count('SELECT * FROM checks');
  await run(200, 5); // warm-up: JIT, connection pools
  await settle();
  const load = loadavg()[0]; // other work on the machine shows here: the figures are only as quiet as it was
  const cpuBefore = cpuMs(measures.pid!);
  const steady = await run(500, options.steadySeconds);
  await settle();
  // what one check costs measures, its events sent and its audit record consumed included: less sensitive to a busy machine than latency
  const cpuPerCheck = Math.round(((cpuMs(measures.pid!) - cpuBefore) / steady.requests) * 100) / 100;
  const mix = `${Math.round(options.listedShare * 100)} % listed, ${listedSubjects.toLocaleString('en-US')} listed subjects`;
  results.add(
    {
      name: `checks: p50 at a steady 500 requests/s (${mix})`,
      value: steady.p50,
      unit: 'ms',
      note: `${steady.requests.toLocaleString('en-US')} checks, ${steady.errors} errors${steady.errors ? ` ${JSON.stringify(steady.failures)}` : ''}, ${steady.achieved}/s achieved, load average ${load.toFixed(1)}`,
    },
    {
      name: 'checks: p99 at a steady 500 requests/s',
      value: steady.p99,
      unit: 'ms',
      target: targetText(STEADY_TARGET),
      note: `max ${steady.max} ms`,
    },
    {
      name: 'checks: measures CPU per check (its events and audit record included)',
      value: cpuPerCheck,
      unit: 'ms',
      note: 'at 500/s; 1,000 ÷ this = checks/s one core sustains',
    },
  );
  const steps: CheckStep[] = [];
  const meets = (s: CheckStep) => s.p99 <= TARGET_P99_MS && s.errors === 0 && s.achieved >= s.rate * 0.95;
  const step = async (rate: number) => {
    const result = await run(rate, options.stepSeconds);
    steps.push(result);
    results.say(
      `checks at ${rate}/s: p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} errors ${JSON.stringify(result.failures)}, achieved ${result.achieved}/s`,
    );
    await settle();
    return result;
  };
  // the highest rate with p99 under the target: upwards from 500/s while it holds, else downwards until it does
  let best: CheckStep | null = meets(steady) ? steady : null;
  let missed: CheckStep | null = best ? null : steady;
  if (best) {
    for (const rate of RAMP_UP) {
      if (missed) break;
      const result = await step(rate);
      if (meets(result)) best = result;
      else missed = result;
    }
  } else {
    for (const rate of RAMP_DOWN) {
      const result = await step(rate);
      if (meets(result)) {
        best = result;
        break;
      }
      missed = result;
    }
  }
  results.add({
    name: `checks: highest rate with p99 ≤ ${TARGET_P99_MS} ms`,
    value: best?.rate ?? 0,
    unit: 'requests/s',
    note: `${best ? `p99 ${best.p99} ms` : 'not met at 50/s'}; steps of ${options.stepSeconds} s${missed ? `; ${missed.rate}/s: p99 ${missed.p99} ms, ${missed.errors} errors, ${missed.achieved}/s achieved` : ''}`,
  });
  results.summary.checks = {
    listedSubjects,
    listedShare: options.listedShare,
    loadAverageAtStart: Math.round(load * 100) / 100,
    measuresCpuMsPerCheck: cpuPerCheck,
    steady,
    highestRateWithP99WithinTarget: best?.rate ?? 0,
    steps,
    generatorAlone: generator,
  };
  const recorded = (await probe.count('SELECT * FROM checks')) - checksBefore;
  if (recorded < answered) throw new Error(`checks: ${answered} answered, only ${recorded} recorded`);
}

interface GeneratorRun {
  rate: number;
  p50: number;
  p99: number;
  achieved: number;
  errors: number;
  /** How late the generator sent its requests, p99 (ms). */
  sendLagP99: number;
  /** The bench process's CPU (user + system) per request, in µs. */
  cpuUsPerRequest: number;
}

/**
 * The load generator alone: the same open-loop runs, requests shaped like the checks, against a trivial
 * server in a process of its own (bench/trivial-server.ts) that answers at once. Shows the rate up to
 * which the generator itself sends on time and keeps p99 within the target on this machine, and its
 * CPU per request.
 */
async function generatorAlone(
  rates: number[],
  seconds: number,
  token: string,
  results: Results,
): Promise<GeneratorRun[]> {
  const server = spawn(process.execPath, [join(__dirname, 'trivial-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
    const url = new URL(`http://127.0.0.1:${chunk.toString().trim()}/api/v1/checks`);
    const runs: GeneratorRun[] = [];
    for (const rate of rates) {
      const cpu = process.cpuUsage();
      const run = await openLoop(
        url,
        rate,
        seconds,
        (i) => ({
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            subject: { uscc: makeUscc(9_000_000 + i) },
            businessType: '行政许可',
            reference: `ALONE-${i}`,
          }),
        }),
        (status, body) =>
          status !== 200
            ? String(status)
            : (JSON.parse(body.toString()) as { listed: boolean }).listed
              ? 'wrong answer'
              : null,
      );
      const used = process.cpuUsage(cpu);
      runs.push({
        rate,
        p50: run.p50,
        p99: run.p99,
        achieved: run.achieved,
        errors: run.errors,
        sendLagP99: run.sendLagP99,
        cpuUsPerRequest: Math.round((used.user + used.system) / run.requests),
      });
    }
    const within = runs.filter((r) => r.p99 <= TARGET_P99_MS && r.errors === 0 && r.achieved >= r.rate * 0.95);
    results.add({
      name: `checks: the load generator alone, highest rate with p99 ≤ ${TARGET_P99_MS} ms (a trivial server)`,
      value: within.length ? Math.max(...within.map((r) => r.rate)) : 0,
      unit: 'requests/s',
      note: runs
        .map(
          (r) =>
            `${r.rate}/s: p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.achieved}/s achieved, sent p99 ${r.sendLagP99} ms late, ${r.cpuUsPerRequest} µs of CPU a request`,
        )
        .join('; '),
    });
    return runs;
  } finally {
    server.kill('SIGTERM');
  }
}
