import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListEntryEvents } from '@jrp/contracts';
import { SHUTDOWN_TIMEOUT_MS } from '@jrp/http';
import { cleanUp, makeUscc, SchemaProbe, ServiceProcess, waitFor } from '@jrp/testing';
import { COURT, courtEntry } from '../scenarios/loop.scenario';
import { serviceDeployment } from './support/services';

/**
 * SIGTERM under load, on Kafka: the process stops taking connections, finishes what is in flight
 * (requests, the consumer's batch, the relay's round), commits nothing half-done and exits 0 within the
 * bound; after a restart every event has been processed exactly once.
 */
describe('graceful shutdown under load', () => {
  const d = serviceDeployment('stop', { LOG_LEVEL: 'log' });
  const lists = new SchemaProbe(d.env.DATABASE_URL!, `${d.prefix}list_ingestion`);
  const measures = new SchemaProbe(d.env.DATABASE_URL!, `${d.prefix}measures`);
  let court: string;

  /** One entry published through list-ingestion: its status, or the network error's code. */
  const publish = async (n: number): Promise<number | string> => {
    try {
      const res = await fetch(`${d.listIngestion.url}/api/v1/lists/entries`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${court}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(
          courtEntry(n, {
            subject: { kind: 'legal', name: `停机测试公司${n}`, uscc: makeUscc(n) },
            documentNo: `（2026）皖01执停${n}号`,
          }),
        ),
      });
      await res.arrayBuffer();
      return res.status;
    } catch (error) {
      return (error as { cause?: { code?: string } }).cause?.code ?? 'network error';
    }
  };

  /** Publishes `count` entries, `concurrency` at a time; `onAnswered` sees the running count of answers. */
  async function load(
    from: number,
    count: number,
    concurrency: number,
    onAnswered: (answered: number) => void,
  ): Promise<Map<number, number | string>> {
    const results = new Map<number, number | string>();
    let next = from;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < from + count) {
          const n = next++;
          results.set(n, await publish(n));
          onAnswered(results.size);
        }
      }),
    );
    return results;
  }

  /** SIGTERM, and how long the process took to exit. */
  async function terminate(service: ServiceProcess): Promise<{ ms: number; exit: ServiceProcess['lastExit'] }> {
    const started = Date.now();
    await service.kill('SIGTERM');
    return { ms: Date.now() - started, exit: service.lastExit };
  }

  const documentNos = (ns: number[]) => ns.map((n) => `（2026）皖01执停${n}号`);

  beforeAll(async () => {
    await d.measures.start();
    await d.listIngestion.start();
    await waitFor(
      'list types known to list-ingestion',
      async () => (await lists.count('SELECT * FROM known_list_types')) > 0,
      30000,
    );
    const res = await fetch(`${d.measures.url}/api/v1/admin/organizations/${COURT}/tokens`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${d.env.JRP_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    court = ((await res.json()) as { token: string }).token;
  });

  afterAll(async () => {
    await Promise.all([d.listIngestion.kill('SIGKILL'), d.measures.kill('SIGKILL')]);
    await cleanUp(d.env);
  });

  it('measures, SIGTERMed while it consumes: exits 0 in time; after a restart each event was processed exactly once', async () => {
    let stopping: Promise<{ ms: number; exit: ServiceProcess['lastExit'] }> | undefined;
    const results = await load(8000, 150, 5, (answered) => {
      if (answered === 40) stopping = terminate(d.measures);
    });
    const stopped = await stopping!;
    expect([...results.values()].every((s) => s === 201)).toBe(true);
    expect(stopped.exit).toEqual({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    const log = readFileSync(join(d.logs, 'measures.log'), 'utf8');
    expect(log).toContain('SIGTERM: shutting down');
    expect(log).toMatch(/stopped in \d+ ms/);
    const matchedBefore = await measures.count(`SELECT * FROM entry_states`);

    await d.measures.start();
    const events = (
      await lists.query<{ event_id: string }>(`SELECT event_id FROM outbox WHERE type = $1`, [ListEntryEvents.Listed])
    ).map((r) => r.event_id);
    expect(events).toHaveLength(150);
    await waitFor(
      'every entry matched',
      async () => (await measures.count(`SELECT * FROM entry_states`)) === 150,
      45000,
    );
    expect(
      await measures.count(`SELECT * FROM inbox WHERE consumer = 'measures' AND event_id = ANY($1)`, [events]),
    ).toBe(150);
    const [{ min, max }] = await measures.query<{ min: number; max: number }>(
      `SELECT min(n)::int AS min, max(n)::int AS max FROM (SELECT count(*) AS n FROM tasks GROUP BY entry_id) x`,
    );
    expect(min).toBe(max); // every entry has the same tasks (one court-debtor entry each)
    expect(await measures.count(`SELECT * FROM tasks`)).toBe(150 * max);
    expect(await measures.count(`SELECT task_id FROM task_changes GROUP BY task_id HAVING count(*) > 1`)).toBe(0);
    process.stdout.write(
      `measures: SIGTERM after 40 of 150 publishes, exited 0 in ${stopped.ms} ms with ${matchedBefore} entries matched; all 150 matched once after the restart\n`,
    );
  });

  it('list-ingestion, SIGTERMed with requests in flight: each is answered or refused, never half-done; exits 0 in time', async () => {
    let stopping: Promise<{ ms: number; exit: ServiceProcess['lastExit'] }> | undefined;
    const results = await load(9000, 80, 8, (answered) => {
      if (answered === 20) stopping = terminate(d.listIngestion);
    });
    const stopped = await stopping!;
    expect(stopped.exit).toEqual({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    const statuses = [...results.values()];
    // an answered request was done in full; the others never reached a handler
    expect(statuses.filter((s) => typeof s === 'number' && s !== 201)).toEqual([]);
    const accepted = [...results].filter(([, s]) => s === 201).map(([n]) => n);
    expect(accepted.length).toBeGreaterThanOrEqual(20);
    expect(accepted.length).toBeLessThan(80);
    expect(
      await lists.count(`SELECT * FROM list_entries WHERE document_no = ANY($1)`, [documentNos([...results.keys()])]),
    ).toBe(accepted.length);

    await d.listIngestion.start();
    await waitFor(
      'every accepted entry matched',
      async () => (await measures.count(`SELECT * FROM entry_states`)) === 150 + accepted.length,
      45000,
    );
    expect(await measures.count(`SELECT task_id FROM task_changes GROUP BY task_id HAVING count(*) > 1`)).toBe(0);
    process.stdout.write(
      `list-ingestion: SIGTERM after 20 of 80 answers, exited 0 in ${stopped.ms} ms; ${accepted.length} accepted, ${80 - accepted.length} refused, all accepted matched once\n`,
    );
  });
});
