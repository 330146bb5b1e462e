import { SchemaProbe, ServiceProcess } from '@jrp/testing';
import { drainBacklog, Drain, listEventsSent } from './fanout.bench';
import { courtDebtorImplementers, publishCourtDebtors, Results } from './support';

/**
 * 1 vs 2 replicas of measures on the same workload: measures stops, `entries` new entries are published
 * and sent to the broker, one replica starts and drains them (timed as the fan-out is); then the same
 * with `entries` other entries and two replicas. Replicas share the schema and the consumer group (each
 * its own port and log), as in a deployment: the topics' partitions are split between them, and one
 * relay at a time sends the outbox. Afterwards the first replica runs on, the second is stopped.
 */
export async function benchReplicas(
  listIngestion: ServiceProcess,
  replicas: [ServiceProcess, ServiceProcess],
  stop: (service: ServiceProcess) => Promise<void>,
  token: string,
  probes: { lists: SchemaProbe; measures: SchemaProbe },
  entries: number,
  results: Results,
): Promise<void> {
  if (entries > 1_000_000) throw new Error('JRP_BENCH_REPLICA_ENTRIES: at most 1,000,000');
  const tasks = entries * (await courtDebtorImplementers(probes.measures)).length;
  const drains: Drain[] = [];
  for (const count of [1, 2]) {
    for (const replica of replicas) await stop(replica);
    await publishCourtDebtors(listIngestion, token, count === 1 ? 6_000_000 : 7_000_000, entries);
    await listEventsSent(probes.lists, 600000);
    results.say(`replicas: ${count} measures replica(s) on ${entries.toLocaleString('en-US')} entries`);
    const drain = await drainBacklog(replicas.slice(0, count), probes.measures, tasks, (line) =>
      results.say(`replicas: ${line}`),
    );
    drains.push(drain);
    results.add({
      name: `replicas: ${count} measures ${count === 1 ? 'replica' : 'replicas'}, ${entries.toLocaleString('en-US')} entries → ${tasks.toLocaleString('en-US')} tasks, from the first task`,
      value: drain.tasksPerSecondAfterFirst,
      unit: 'tasks/s',
      note: `${drain.seconds.toFixed(1)} s to drain, the first task after ${drain.firstTaskSeconds.toFixed(1)} s (${drain.tasksPerSecond}/s with start-up); measures CPU ${drain.cpuMsPerTask} ms a task (start-up included); load average ${drain.loadAverage}`,
    });
  }
  await stop(replicas[1]);
  const ratio = Math.round((drains[1].tasksPerSecondAfterFirst / drains[0].tasksPerSecondAfterFirst) * 100) / 100;
  results.add({ name: 'replicas: 2 ÷ 1', value: ratio, unit: '×' });
  results.summary.replicas = { entries, tasks, one: drains[0], two: drains[1], ratio };
}
