import { loadavg } from 'node:os';
import { SchemaProbe, ServiceProcess } from '@jrp/testing';
import { courtDebtorImplementers, cpuMs, Results } from './support';

const PAGE = 1000; // the feed's largest page
const TARGET = 20_000;

/** Reads an organisation's feed from its start, page after page, until it is read to its end or `limit` items are read. */
async function readFeed(measures: ServiceProcess, token: string, limit: number): Promise<number> {
  let after = '';
  let read = 0;
  while (read < limit) {
    const res = await fetch(
      `${measures.url}/api/v1/tasks/feed?limit=${Math.min(PAGE, limit - read)}${after ? `&after=${after}` : ''}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (res.status !== 200) throw new Error(`feed: ${res.status} ${(await res.text()).slice(0, 200)}`);
    const page = (await res.json()) as { items: { task: { id: string } }[]; next: string };
    if (page.items.length === 0) break;
    read += page.items.length;
    after = page.next;
  }
  return read;
}

/**
 * Feed reads through the API, as the implementing organisations read the tasks the fan-out left them:
 * `GET /api/v1/tasks/feed?after=<cursor>&limit=1000`, each page parsed. One reader, organisation after
 * organisation, until `items` items are read; then two readers at once (two other organisations),
 * `items / 2` each. measures' CPU per 1,000 items (from /proc) beside each rate.
 */
export async function benchFeed(
  measures: ServiceProcess,
  adminToken: string,
  probe: SchemaProbe,
  items: number,
  results: Results,
): Promise<void> {
  const organizations = await courtDebtorImplementers(probe);
  if (organizations.length < 3)
    throw new Error(`feed: ${organizations.length} implementing organisations; the part needs 3`);
  const tokens = new Map<string, string>();
  for (const code of organizations) {
    const res = await fetch(`${measures.url}/api/v1/admin/organizations/${code}/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'bench feed' }),
    });
    if (res.status !== 201) throw new Error(`token for ${code}: ${res.status}`);
    tokens.set(code, ((await res.json()) as { token: string }).token);
  }
  // the two concurrent readers take the last two organisations; the single reader the others, in turn
  const concurrent = organizations.slice(-2);
  const sequential = organizations.slice(0, -2);

  const measure = async (read: () => Promise<number>) => {
    const load = Math.round(loadavg()[0] * 100) / 100;
    const cpuBefore = cpuMs(measures.pid!);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const n = await read();
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    return {
      items: n,
      seconds: Math.round(seconds * 10) / 10,
      tasksPerSecond: Math.round(n / seconds),
      loadAverage: load,
      measuresCpuMsPer1000: Math.round(((cpuMs(measures.pid!) - cpuBefore) / n) * 1000),
      clientCpuMsPer1000: Math.round(((client.user + client.system) / 1000 / n) * 1000),
    };
  };
  const note = (r: Awaited<ReturnType<typeof measure>>, who: string) =>
    `${r.items.toLocaleString('en-US')} items in ${r.seconds} s (${who}); CPU per 1,000: measures ${r.measuresCpuMsPer1000} ms, the reading client ${r.clientCpuMsPer1000} ms; load average ${r.loadAverage}`;

  const one = await measure(async () => {
    let read = 0;
    for (const code of sequential) {
      if (read >= items) break;
      read += await readFeed(measures, tokens.get(code)!, items - read);
    }
    return read;
  });
  results.add({
    name: `feed reads through the API: one reader, pages of ${PAGE.toLocaleString('en-US')}`,
    value: one.tasksPerSecond,
    unit: 'tasks/s',
    target: `≥ ${TARGET.toLocaleString('en-US')} tasks/s`,
    note: note(one, `organisations in turn from ${sequential[0]}`),
  });

  const two = await measure(async () =>
    (await Promise.all(concurrent.map((code) => readFeed(measures, tokens.get(code)!, Math.ceil(items / 2))))).reduce(
      (a, b) => a + b,
      0,
    ),
  );
  results.add({
    name: 'feed reads through the API: two readers at once',
    value: two.tasksPerSecond,
    unit: 'tasks/s',
    target: `≥ ${TARGET.toLocaleString('en-US')} tasks/s`,
    note: note(two, concurrent.join(' and ')),
  });
  results.summary.feed = { oneReader: one, twoReaders: two };
}
