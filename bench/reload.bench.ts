import { SchemaProbe, ServiceProcess } from '@jrp/testing';
import { drainBacklog, listEventsSent } from './fanout.bench';
import { courtDebtorImplementers, publishCourtDebtors, Results } from './support';
import { targetOf, targetText } from './targets';

/** The reload's subjects: makeUscc(FIRST …), clear of the other parts' (the unlisted checks start at 9,000,000). */
const FIRST = 8_000_000;
const MAX_ENTRIES = 1_000_000;

/**
 * A province's full reload (issue 21): `entries` 失信被执行人 entries (legal subjects with a legal
 * representative) published through list-ingestion's batch API, 10,000 a request, while measures is
 * stopped, until list-ingestion has sent every list event; then measures starts and is clocked as the
 * fan-out is, until every task is persisted, its event published and the feeds hold it. The tasks are
 * made by measures' own consumer path from the list events, as in a province; only the wait for
 * list-ingestion is outside the clock (its seconds are in the note).
 */
export async function benchReload(
  listIngestion: ServiceProcess,
  measures: ServiceProcess,
  stop: (service: ServiceProcess) => Promise<void>,
  token: string,
  probes: { lists: SchemaProbe; measures: SchemaProbe },
  entries: number,
  results: Results,
): Promise<void> {
  if (entries > MAX_ENTRIES)
    throw new Error(`JRP_BENCH_RELOAD_ENTRIES: at most ${MAX_ENTRIES.toLocaleString('en-US')}`);
  const perEntry = (await courtDebtorImplementers(probes.measures)).length;
  const tasks = entries * perEntry;
  await stop(measures);
  const published = Date.now();
  await publishCourtDebtors(listIngestion, token, FIRST, entries);
  await listEventsSent(probes.lists, 30 * 60 * 1000);
  const publishSeconds = Math.round((Date.now() - published) / 100) / 10;
  results.say(
    `reload: ${entries.toLocaleString('en-US')} entries published and sent in ${publishSeconds} s; measures starts on them (${perEntry} implementing organisations each)`,
  );
  const drain = await drainBacklog([measures], probes.measures, tasks, (line) => results.say(`reload: ${line}`));
  const seconds = Math.round(drain.seconds * 10) / 10;
  results.add({
    name: `reload: ${entries.toLocaleString('en-US')} entries → ${tasks.toLocaleString('en-US')} tasks persisted, published, in feeds`,
    value: seconds,
    unit: 's',
    target: targetText(targetOf('reloadSeconds')),
    note: `${drain.tasksPerSecond.toLocaleString('en-US')} tasks/s, the first task after ${drain.firstTaskSeconds.toFixed(1)} s; measures CPU ${drain.cpuMsPerTask} ms a task; before the clock, list-ingestion took and sent the entries in ${publishSeconds} s (batch API); load average ${drain.loadAverage}`,
  });
  results.summary.reload = {
    entries,
    tasks,
    seconds,
    tasksPerSecond: drain.tasksPerSecond,
    firstTaskSeconds: drain.firstTaskSeconds,
    measuresCpuMsPerTask: drain.cpuMsPerTask,
    publishSeconds,
    loadAverageAtStart: drain.loadAverage,
  };
}
