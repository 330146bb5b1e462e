import { performance } from 'node:perf_hooks';
import { encodeCursor } from '@jrp/http';
import { SchemaProbe, ServiceProcess, SseClient } from '@jrp/testing';
import { openLoop } from './open-loop';
import { courtDebtorEntry, courtDebtorImplementers, cpuMs, percentile, Results } from './support';
import { CPU_PER_ENTRY_RATE, LATENCY_TARGET_P99_MS, targetOf, targetText } from './targets';

const RAILWAY = 'AH-RAILWAY'; // implements M01-01 on every 失信被执行人 entry: a task for each entry published here
/** The subjects of the run at the k-th rate: makeUscc(FIRST_SUBJECT + k × SUBJECTS_PER_RATE …), clear of the other parts'. */
const FIRST_SUBJECT = 5_200_000;
const SUBJECTS_PER_RATE = 100_000;
/** How long the part waits for the tasks at most, whatever they do (a bound on the run, not a target). */
const MAX_WAIT_MS = 10 * 60 * 1000;

export interface LatencyOptions {
  /** Entries a second, one run at each rate, each entry its own `POST /api/v1/lists/entries`. */
  rates: number[];
  seconds: number;
  /** How long the stream may bring no new task while some are missing before the part fails. */
  timeoutSeconds: number;
}

export interface LatencyRun {
  rate: number;
  seconds: number;
  entries: number;
  arrived: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How late the 99th percentile POST left (waiting for a free connection), ms after its scheduled time. */
  sendLagP99Ms: number;
  answeredPerSecond: number;
  postAnswerP50Ms: number;
  postAnswerP99Ms: number;
  /** CPU of each service per entry over the run (from the first POST until the last task arrived), and the two together. */
  cpuMsPerEntry: { listIngestion: number; measures: number; both: number };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * End-to-end latency at steady rates, one run after the other: single entries through
 * `POST /api/v1/lists/entries`, open loop (each request leaves on schedule whether or not earlier ones
 * have answered), each about a new legal subject on the 失信被执行人 list, while the railway holds its task
 * stream (SSE) open from the current end of its feed. Latency = from the POST's answer (the entry
 * accepted) to the stream event of the railway's task for that entry, matched by entry id.
 */
export async function benchLatency(
  services: { listIngestion: ServiceProcess; measures: ServiceProcess },
  tokens: { publisher: string; admin: string },
  probe: SchemaProbe,
  options: LatencyOptions,
  results: Results,
): Promise<void> {
  const { listIngestion, measures } = services;
  if (!(await courtDebtorImplementers(probe)).includes(RAILWAY))
    throw new Error(`${RAILWAY} no longer implements a measure on every 失信被执行人 entry: pick another organisation`);
  const issued = await fetch(`${measures.url}/api/v1/admin/organizations/${RAILWAY}/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ label: 'bench latency' }),
  });
  if (issued.status !== 201) throw new Error(`railway token: ${issued.status}`);
  const railway = ((await issued.json()) as { token: string }).token;
  const [{ seq }] = await probe.query<{ seq: string }>(
    'SELECT coalesce(max(seq), 0) AS seq FROM task_changes WHERE organization = $1',
    [RAILWAY],
  );

  const visibleAt = new Map<string, number>();
  let lastArrival = performance.now();
  const stream = new SseClient(
    `${measures.url}/api/v1/tasks/stream?after=${encodeCursor(seq)}`,
    { Authorization: `Bearer ${railway}` },
    (event) => {
      if (event.event === 'dispatched') {
        lastArrival = performance.now();
        visibleAt.set((JSON.parse(event.data) as { task: { entryId: string } }).task.entryId, lastArrival);
      }
    },
  );

  const runs: LatencyRun[] = [];
  results.summary.latency = { runs };
  /** One run at `rate` entries/s for `options.seconds`, on the subjects of the k-th rate. */
  const runAt = async (rate: number, k: number): Promise<void> => {
    const total = Math.round(rate * options.seconds);
    if (total > SUBJECTS_PER_RATE)
      throw new Error(`latency: at most ${SUBJECTS_PER_RATE} entries a run (rate × JRP_BENCH_LATENCY_SECONDS)`);
    const firstSubject = FIRST_SUBJECT + k * SUBJECTS_PER_RATE;
    const acceptedAt = new Map<string, number>();
    const cpuBefore = { listIngestion: cpuMs(listIngestion.pid!), measures: cpuMs(measures.pid!) };
    // prepared requests on a bounded set of keep-alive connections (`openLoop`): a request whose turn
    // comes while every connection is busy waits for one, and that wait counts in how late it was answered
    const sent = await openLoop(
      new URL(`${listIngestion.url}/api/v1/lists/entries`),
      rate,
      options.seconds,
      (i) => ({
        body: JSON.stringify(courtDebtorEntry(firstSubject + i)),
        headers: { Authorization: `Bearer ${tokens.publisher}`, 'Content-Type': 'application/json' },
      }),
      (status, body, i) => {
        const answeredAt = performance.now();
        const id = status === 201 ? (JSON.parse(body.toString('utf8')) as { id?: string }).id : undefined;
        if (!id) return `entry ${firstSubject + i}: ${status} ${body.toString('utf8').slice(0, 300)}`;
        acceptedAt.set(id, answeredAt);
        return null;
      },
    );
    if (sent.errors > 0)
      throw new Error(
        `latency: ${sent.errors} of ${total} entries refused at ${rate}/s: ${JSON.stringify(sent.failures).slice(0, 1000)}`,
      );

    // the tasks may queue behind an overloaded service (that is the figure); the part fails only when the
    // stream stops bringing them: none for timeoutSeconds while some are missing
    const waitStarted = performance.now();
    lastArrival = Math.max(lastArrival, waitStarted);
    const missingNow = () => [...acceptedAt.keys()].filter((id) => !visibleAt.has(id)).length;
    while (
      missingNow() > 0 &&
      performance.now() - lastArrival < options.timeoutSeconds * 1000 &&
      performance.now() - waitStarted < MAX_WAIT_MS
    )
      await new Promise((r) => setTimeout(r, 100));
    const cpuListIngestion = (cpuMs(listIngestion.pid!) - cpuBefore.listIngestion) / total;
    const cpuMeasures = (cpuMs(measures.pid!) - cpuBefore.measures) / total;
    const cpu = {
      listIngestion: round2(cpuListIngestion),
      measures: round2(cpuMeasures),
      both: round2(cpuListIngestion + cpuMeasures),
    };
    const latencies = Float64Array.from(
      [...acceptedAt].filter(([id]) => visibleAt.has(id)).map(([id, at]) => visibleAt.get(id)! - at),
    ).sort();
    const missing = total - latencies.length;
    const why = `${options.timeoutSeconds} s without a new task in the stream`;
    if (latencies.length === 0)
      throw new Error(`latency: none of the ${total} tasks at ${rate}/s in the stream (${why})`);
    const p50 = Math.round(percentile(latencies, 50));
    const p99 = Math.round(percentile(latencies, 99));
    const max = Math.round(latencies[latencies.length - 1]);
    const label = `${rate} entries/s for ${options.seconds} s`;
    const target = LATENCY_TARGET_P99_MS[rate];
    const run: LatencyRun = {
      rate,
      seconds: options.seconds,
      entries: total,
      arrived: latencies.length,
      p50Ms: p50,
      p99Ms: p99,
      maxMs: max,
      sendLagP99Ms: Math.round(sent.sendLagP99),
      answeredPerSecond: sent.achieved,
      postAnswerP50Ms: Math.round(sent.p50),
      postAnswerP99Ms: Math.round(sent.p99),
      cpuMsPerEntry: cpu,
    };
    results.add(
      {
        name: `latency: entry accepted → task in the railway's stream, p50 (${label})`,
        value: p50,
        unit: 'ms',
        note: `${latencies.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} arrived; sent at ${rate}/s (p99 ${run.sendLagP99Ms} ms late), answered at ${run.answeredPerSecond}/s; POST answered p50 ${run.postAnswerP50Ms} ms, p99 ${run.postAnswerP99Ms} ms after its scheduled time`,
      },
      {
        name: `latency: entry accepted → task in the stream, p99 (${rate} entries/s)`,
        value: p99,
        unit: 'ms',
        ...(target === undefined ? {} : { target: `≤ ${target.toLocaleString('en-US')} ms` }),
        note: `max ${max.toLocaleString('en-US')} ms`,
      },
      {
        name: `latency: CPU per entry, list-ingestion + measures (${rate} entries/s)`,
        value: cpu.both,
        unit: 'ms',
        ...(rate === CPU_PER_ENTRY_RATE ? { target: targetText(targetOf('cpuMsPerEntry')) } : {}),
        note: `list-ingestion ${cpu.listIngestion} ms, measures ${cpu.measures} ms; from the first POST until the last task arrived`,
      },
    );
    runs.push(run); // in the summary even when the part fails below
    if (missing > 0) throw new Error(`latency: ${missing} of ${total} tasks at ${rate}/s not in the stream (${why})`);
  };
  try {
    const status = await stream.opened;
    if (status !== 200) throw new Error(`task stream: ${status}`);
    for (const [k, rate] of options.rates.entries()) await runAt(rate, k);
  } finally {
    stream.close();
  }
}
