import { loadavg } from 'node:os';
import { SchemaProbe, ServiceProcess, waitFor } from '@jrp/testing';
import { courtDebtorImplementers, cpuMs, publishCourtDebtors, Results } from './support';

export interface Drain {
  seconds: number;
  tasksPerSecond: number;
  /** When the first task reached the feeds (the processes' start-up, their consumers joining the group). */
  firstTaskSeconds: number;
  /** The rate from the first task to the end of the drain: start-up left out. */
  tasksPerSecondAfterFirst: number;
  /** CPU of the measures processes (start-up included) per task, in ms. */
  cpuMsPerTask: number;
  loadAverage: number;
}

/** Task events measures has not sent: its outbox's queue and the feed rows after the relay's cursor. */
const UNSENT_TASK_EVENTS = `SELECT (SELECT count(*) FROM outbox_pending)
  + (SELECT count(*) FROM task_changes WHERE seq > (SELECT seq FROM relay_cursors WHERE feed = 'task_changes')) AS n`;
/** Waits until list-ingestion has sent every list event it holds (its outbox queue is empty), within `timeoutMs`. */
export const listEventsSent = (lists: SchemaProbe, timeoutMs: number) =>
  waitFor('list events sent', async () => (await lists.count(`SELECT * FROM outbox_pending`)) === 0, timeoutMs, 500);

export const unsentTaskEvents = async (measures: SchemaProbe) =>
  Number((await measures.query<{ n: string }>(UNSENT_TASK_EVENTS))[0].n);

/**
 * Starts `replicas` (measures processes, stopped while the backlog built up) and times them until
 * `expected` more dispatches are in the feeds, their tasks persisted and every task event published
 * (outbox and feed drained to the relay's cursor). The clock includes the processes' start-up.
 */
export async function drainBacklog(
  replicas: ServiceProcess[],
  measures: SchemaProbe,
  expected: number,
  say: (line: string) => void,
): Promise<Drain> {
  const [{ seq }] = await measures.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM task_changes');
  const tasksBefore = await measures.count('SELECT * FROM tasks');
  // counted incrementally from a cursor (seq order is commit order, so nothing lands behind it): a
  // count of the whole, growing feed every second cost PostgreSQL more than a tenth of the run
  let cursor = seq;
  let dispatched = 0;
  const countNew = async () => {
    const [row] = await measures.query<{ n: string; last: string | null }>(
      `SELECT count(*) FILTER (WHERE type = 'dispatched') AS n, max(seq) AS last FROM task_changes WHERE seq > $1`,
      [cursor],
    );
    if (row.last !== null) {
      dispatched += Number(row.n);
      cursor = row.last;
    }
    return dispatched;
  };
  // one count at a time (the progress line and the waits share the cursor); a failed count does not stop the next
  let counting = Promise.resolve(0);
  const newDispatches = () => (counting = counting.then(countNew, countNew));
  const loadAverage = Math.round(loadavg()[0] * 100) / 100;
  const started = Date.now();
  let firstAt: number;
  const progress = process.env.JRP_BENCH_PROGRESS
    ? setInterval(() => {
        void Promise.all([newDispatches(), unsentTaskEvents(measures)]).then(([t, o]) =>
          say(`${((Date.now() - started) / 1000).toFixed(0)} s: ${t} tasks in the feeds, ${o} task events unsent`),
        );
      }, 5000)
    : undefined;
  try {
    const firstTask = waitFor(
      'a first task in the feeds',
      async () => ((await newDispatches()) > 0 ? Date.now() : undefined),
      30 * 60 * 1000,
      100,
    );
    await Promise.all(replicas.map((r) => r.start()));
    firstAt = await firstTask;
    await waitFor('tasks in the feeds', async () => (await newDispatches()) >= expected, 30 * 60 * 1000, 1000);
    await waitFor('task events published', async () => (await unsentTaskEvents(measures)) === 0, 30 * 60 * 1000, 500);
  } finally {
    clearInterval(progress);
  }
  const seconds = (Date.now() - started) / 1000;
  const cpu = replicas.reduce((sum, r) => sum + cpuMs(r.pid!), 0);
  const persisted = (await measures.count('SELECT * FROM tasks')) - tasksBefore;
  if (persisted < expected) throw new Error(`${persisted} of ${expected} tasks persisted`);
  const firstTaskSeconds = (firstAt - started) / 1000;
  return {
    seconds,
    tasksPerSecond: Math.round(expected / seconds),
    firstTaskSeconds,
    tasksPerSecondAfterFirst: Math.round(expected / (seconds - firstTaskSeconds)),
    cpuMsPerTask: Math.round((cpu / expected) * 1000) / 1000,
    loadAverage,
  };
}

/**
 * Fan-out: measures is stopped while list-ingestion takes its entries (the import and batches of the
 * list figures, plus the subjects of `publish`); then measures starts and the clock runs until every
 * task is persisted, its event published (outbox drained) and the feed holds it. tasks/s = tasks ÷
 * that time.
 */
export async function benchFanOut(
  listIngestion: ServiceProcess,
  measures: ServiceProcess,
  token: string,
  probes: { lists: SchemaProbe; measures: SchemaProbe },
  publish: { from: number; count: number }[],
  results: Results,
): Promise<{ tasksPerSecond: number; tasks: number; entries: number; seconds: number }> {
  for (const { from, count } of publish) await publishCourtDebtors(listIngestion, token, from, count);
  await listEventsSent(probes.lists, 600000);
  const entries = await probes.lists.count(`SELECT * FROM list_entries WHERE status = 'active'`);
  const perEntry = (await courtDebtorImplementers(probes.measures)).length;
  if ((await probes.measures.count('SELECT * FROM tasks')) !== 0)
    throw new Error('measures must not have matched anything before the fan-out starts');
  const tasks = entries * perEntry;
  results.say(`fan-out: ${entries.toLocaleString('en-US')} entries × ${perEntry} implementing organisations`);
  const drain = await drainBacklog([measures], probes.measures, tasks, (line) => results.say(`fan-out: ${line}`));
  results.add({
    name: `fan-out: ${entries.toLocaleString('en-US')} entries → ${tasks.toLocaleString('en-US')} tasks persisted, published, in feeds`,
    value: drain.tasksPerSecond,
    unit: 'tasks/s',
    note: `${drain.seconds.toFixed(1)} s to drain, the first task after ${drain.firstTaskSeconds.toFixed(1)} s; measures CPU ${drain.cpuMsPerTask} ms a task; load average ${drain.loadAverage}`,
  });
  results.summary.fanOut = {
    entries,
    tasks,
    seconds: Math.round(drain.seconds * 10) / 10,
    tasksPerSecond: drain.tasksPerSecond,
    firstTaskSeconds: drain.firstTaskSeconds,
    measuresCpuMsPerTask: drain.cpuMsPerTask,
    loadAverageAtStart: drain.loadAverage,
  };
  return { tasksPerSecond: drain.tasksPerSecond, tasks, entries, seconds: drain.seconds };
}
