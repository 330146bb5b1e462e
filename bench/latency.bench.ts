import { performance } from 'node:perf_hooks';
import { encodeCursor } from '@jrp/http';
import { SchemaProbe, ServiceProcess, SseClient, waitFor } from '@jrp/testing';
import { courtDebtorEntry, courtDebtorImplementers, cpuMs, percentile, Results } from './support';

const RAILWAY = 'AH-RAILWAY'; // implements M01-01 on every 失信被执行人 entry: a task for each entry published here
const TARGET_P99_MS = 1000;
const FIRST_SUBJECT = 5_000_000;

export interface LatencyOptions {
  /** Entries a second, each its own `POST /api/v1/lists/entries`. */
  rate: number;
  seconds: number;
  /** How long after the last answer every task may take to show up before the part fails. */
  timeoutSeconds: number;
}

/**
 * End-to-end latency at a steady rate: single entries through `POST /api/v1/lists/entries`, open loop
 * (each request leaves on schedule whether or not earlier ones have answered), each about a new legal
 * subject on the 失信被执行人 list, while the railway holds its task stream (SSE) open from the current
 * end of its feed. Latency = from the POST's answer (the entry accepted) to the stream event of the
 * railway's task for that entry, matched by entry id.
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
  const stream = new SseClient(
    `${measures.url}/api/v1/tasks/stream?after=${encodeCursor(seq)}`,
    { Authorization: `Bearer ${railway}` },
    (event) => {
      if (event.event === 'dispatched')
        visibleAt.set((JSON.parse(event.data) as { task: { entryId: string } }).task.entryId, performance.now());
    },
  );
  try {
    const status = await stream.opened;
    if (status !== 200) throw new Error(`task stream: ${status}`);

    const total = Math.round(options.rate * options.seconds);
    const acceptedAt = new Map<string, number>();
    const answerMs = new Float64Array(total);
    const failures: string[] = [];
    const cpuBefore = { listIngestion: cpuMs(listIngestion.pid!), measures: cpuMs(measures.pid!) };
    const start = performance.now() + 20;
    const post = async (i: number, scheduled: number) => {
      try {
        const res = await fetch(`${listIngestion.url}/api/v1/lists/entries`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens.publisher}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(courtDebtorEntry(FIRST_SUBJECT + i)),
        });
        const body = (await res.json()) as { id?: string };
        const now = performance.now();
        answerMs[i] = now - scheduled;
        if (res.status !== 201 || !body.id) failures.push(`${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        else acceptedAt.set(body.id, now);
      } catch (error) {
        const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
        failures.push(`${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`);
      }
    };
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const scheduled = start + (i * 1000) / options.rate;
      const wait = scheduled - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(post(i, scheduled));
    }
    const sentSeconds = (performance.now() - start) / 1000;
    await Promise.all(inFlight);
    const answeredSeconds = (performance.now() - start) / 1000;
    if (failures.length)
      throw new Error(`latency: ${failures.length} of ${total} entries refused, e.g. ${failures[0]}`);

    await waitFor(
      'every entry’s task in the stream',
      () => Promise.resolve([...acceptedAt.keys()].every((id) => visibleAt.has(id))),
      options.timeoutSeconds * 1000,
      100,
    ).catch(() => undefined);
    const cpu = {
      listIngestion: Math.round(((cpuMs(listIngestion.pid!) - cpuBefore.listIngestion) / total) * 100) / 100,
      measures: Math.round(((cpuMs(measures.pid!) - cpuBefore.measures) / total) * 100) / 100,
    };
    const latencies = Float64Array.from(
      [...acceptedAt].filter(([id]) => visibleAt.has(id)).map(([id, at]) => visibleAt.get(id)! - at),
    ).sort();
    const answers = answerMs.slice().sort();
    const missing = total - latencies.length;
    if (latencies.length === 0)
      throw new Error(
        `latency: none of the ${total} tasks in the stream ${options.timeoutSeconds} s after the last entry was accepted`,
      );
    const round = (x: number) => Math.round(x);
    const p50 = round(percentile(latencies, 50));
    const p99 = round(percentile(latencies, 99));
    const max = round(latencies[latencies.length - 1] ?? NaN);
    const label = `${options.rate} entries/s for ${options.seconds} s`;
    results.add(
      {
        name: `latency: entry accepted → task in the railway's stream, p50 (${label})`,
        value: p50,
        unit: 'ms',
        note: `${latencies.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} arrived; sent at ${Math.round(total / sentSeconds)}/s, answered at ${Math.round(total / answeredSeconds)}/s; POST answered p50 ${round(percentile(answers, 50))} ms, p99 ${round(percentile(answers, 99))} ms after its scheduled time`,
      },
      {
        name: 'latency: entry accepted → task in the stream, p99',
        value: p99,
        unit: 'ms',
        target: `≤ ${TARGET_P99_MS.toLocaleString('en-US')} ms`,
        note: `max ${max.toLocaleString('en-US')} ms; CPU an entry: list-ingestion ${cpu.listIngestion} ms, measures ${cpu.measures} ms`,
      },
    );
    results.summary.latency = {
      rate: options.rate,
      seconds: options.seconds,
      entries: total,
      arrived: latencies.length,
      p50Ms: p50,
      p99Ms: p99,
      maxMs: max,
      sentPerSecond: Math.round(total / sentSeconds),
      answeredPerSecond: Math.round(total / answeredSeconds),
      postAnswerP50Ms: round(percentile(answers, 50)),
      postAnswerP99Ms: round(percentile(answers, 99)),
      cpuMsPerEntry: cpu,
    };
    if (missing > 0)
      throw new Error(
        `latency: ${missing} of ${total} tasks not in the stream ${options.timeoutSeconds} s after the last entry was accepted`,
      );
  } finally {
    stream.close();
  }
}
