import { SchemaProbe, ServiceProcess, makeIdNumber, makeUscc, waitFor } from '@jrp/testing';
import { Figure, peakRssMb } from './support';

/**
 * Fan-out: measures is stopped while list-ingestion takes its entries (the import and batches of the
 * list figures, plus `extra` more); then measures starts and the clock runs until every task is
 * persisted, its event published (outbox drained) and the feed holds it. tasks/s = tasks ÷ that time.
 */
export async function benchFanOut(
  listIngestion: ServiceProcess,
  measures: ServiceProcess,
  token: string,
  probes: { lists: SchemaProbe; measures: SchemaProbe },
  extra: number,
): Promise<{ tasksPerSecond: number; tasks: number; entries: number; seconds: number; figures: Figure[] }> {
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  for (let b = 0; b < extra; b += 10000) {
    const batch = Array.from({ length: Math.min(10000, extra - b) }, (_, i) => {
      const n = 3_000_000 + b + i;
      return {
        listType: 'BL-COURT-DEBTOR',
        subject: { kind: 'legal', name: `扇出测试公司${n}`, uscc: makeUscc(n), legalRepresentative: { name: '法定代表人', idNumber: makeIdNumber(n) } },
        reason: '有履行能力而拒不履行', decidedBy: '合肥市中级人民法院', documentNo: `（2026）皖01执扇${n}号`, listedAt: '2026-11-01', region: '340100',
      };
    });
    const res = await fetch(`${listIngestion.url}/api/v1/lists/entries/batch`, { method: 'POST', headers: auth, body: JSON.stringify({ entries: batch }) });
    if (res.status !== 200) throw new Error(`fan-out load: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  await waitFor('list events sent', async () => (await probes.lists.count(`SELECT * FROM outbox_pending`)) === 0, 600000, 500);
  const entries = await probes.lists.count(`SELECT * FROM list_entries WHERE status = 'active'`);
  const perEntry = Number((await probes.measures.query<{ n: string }>(
    `SELECT count(DISTINCT i.organization_code) AS n FROM measures ms JOIN measure_implementers i ON i.measure_code = ms.code
     WHERE ms.list_type = 'BL-COURT-DEBTOR' AND 'legal' = ANY(ms.subject_kinds)`,
  ))[0].n);
  const before = await probes.measures.count('SELECT * FROM tasks');
  if (before !== 0) throw new Error('measures must not have matched anything before the fan-out starts');
  const expected = entries * perEntry;
  const started = Date.now();
  const progress = process.env.JRP_BENCH_PROGRESS
    ? setInterval(() => {
        void Promise.all([probes.measures.count('SELECT * FROM tasks'), probes.measures.count('SELECT * FROM outbox_pending')]).then(([t, o]) =>
          console.log(`[bench] ${((Date.now() - started) / 1000).toFixed(0)} s: ${t - before} tasks, ${o} task events unsent`),
        );
      }, 5000)
    : undefined;
  await measures.start();
  await waitFor('tasks persisted', async () => (await probes.measures.count('SELECT * FROM tasks')) >= expected, 30 * 60 * 1000, 1000);
  await waitFor('task events published', async () => (await probes.measures.count('SELECT * FROM outbox_pending')) === 0, 30 * 60 * 1000, 500);
  const seconds = (Date.now() - started) / 1000;
  clearInterval(progress);
  const feed = await probes.measures.count(`SELECT * FROM task_changes WHERE type = 'dispatched'`);
  if (feed < expected) throw new Error(`feed holds ${feed} of ${expected} dispatches`);
  const tasks = expected;
  const tasksPerSecond = Math.round(tasks / seconds);
  return {
    tasksPerSecond,
    tasks,
    entries,
    seconds,
    figures: [
      { name: `fan-out: ${entries.toLocaleString('en-US')} entries → ${tasks.toLocaleString('en-US')} tasks persisted, published, in feeds`, value: tasksPerSecond, unit: 'tasks/s', note: `${seconds.toFixed(1)} s to drain` },
      { name: 'fan-out: measures peak RSS', value: peakRssMb(measures.pid!), unit: 'MB', target: '< 512 MB' },
    ],
  };
}
