import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  cleanUp,
  makeIdNumber,
  makeUscc,
  SchemaProbe,
  ServiceProcess,
  testEnvironment,
  uniquePrefix,
  waitFor,
} from '@jrp/testing';

/**
 * A crash in the middle loses nothing: the standalone process is killed with SIGKILL while entries are
 * being published and matched, then started again on the same database.
 */
describe('standalone: kill -9 in the middle, restart', () => {
  const env = testEnvironment(uniquePrefix('crash'), { LOG_LEVEL: 'verbose' });
  const logFile = join(mkdtempSync(join(tmpdir(), 'jrp-crash-')), 'standalone.log');
  const service = new ServiceProcess('apps/standalone/src/main.js', env, logFile);
  const prefix = env.JRP_DB_SCHEMA_PREFIX!;
  const lists = new SchemaProbe(env.DATABASE_URL!, `${prefix}list_ingestion`);
  const measures = new SchemaProbe(env.DATABASE_URL!, `${prefix}measures`);
  const feedback = new SchemaProbe(env.DATABASE_URL!, `${prefix}feedback`);

  afterAll(async () => {
    await service.kill('SIGKILL');
    await cleanUp(env);
  });

  it('dispatches every accepted entry exactly once after the restart', async () => {
    await service.start();
    const api = new ApiClient(service.url, env.JRP_ADMIN_TOKEN!);
    const court = await api.as('AH-COURT');
    const catalogue = (await court.get('/api/v1/catalogue/measures?listType=BL-COURT-DEBTOR')).body.items as {
      subjectKinds: string[];
      implementingOrganizations: string[];
    }[];
    const expectedOrgs = new Set(
      catalogue.filter((m) => m.subjectKinds.includes('legal')).flatMap((m) => m.implementingOrganizations),
    );
    await waitFor(
      'catalogue known to list-ingestion',
      async () => (await lists.count('SELECT * FROM known_list_types')) > 0,
    );

    const publish = (n: number) =>
      court.post('/api/v1/lists/entries', {
        listType: 'BL-COURT-DEBTOR',
        subject: {
          kind: 'legal',
          name: `崩溃测试公司${n}`,
          uscc: makeUscc(1000 + n),
          legalRepresentative: { name: '王五', idNumber: makeIdNumber(n) },
        },
        reason: '拒不履行',
        decidedBy: '合肥市中级人民法院',
        documentNo: `（2026）皖01执恢${n}号`,
        listedAt: '2026-11-03',
        region: '340100',
      });
    // 60 publishes in flight; the process is killed as soon as 50 have been answered.
    let answered = 0;
    const killed = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (answered >= 50) {
          clearInterval(check);
          void service.kill('SIGKILL').then(resolve);
        }
      }, 1);
    });
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, n) =>
        publish(n).then((r) => {
          answered++;
          return r;
        }),
      ),
    );
    await killed;
    const accepted = results.filter((r) => r.status === 'fulfilled' && r.value.status === 201).length;
    expect(accepted).toBeGreaterThanOrEqual(50);

    const atCrash = {
      entries: await lists.count('SELECT * FROM list_entries'),
      matched: await measures.count('SELECT * FROM entry_states'),
      unsent: await lists.count('SELECT * FROM outbox_pending'),
    };
    process.stdout.write(
      `at the crash: ${accepted} publishes answered 201, ${atCrash.entries} entries committed, ${atCrash.matched} matched, ${atCrash.unsent} list events unsent\n`,
    );

    await service.start();
    // Ground truth: whatever list-ingestion committed must be matched, completely, once.
    const entries = await lists.query<{ id: string }>('SELECT id FROM list_entries');
    expect(entries.length).toBeGreaterThanOrEqual(accepted);
    const expectedTasks = entries.length * expectedOrgs.size;
    await waitFor(
      'every entry matched after restart',
      async () => (await measures.count('SELECT * FROM tasks')) === expectedTasks,
      30000,
    );
    await waitFor(
      'feedback knows every task',
      async () => (await feedback.count('SELECT * FROM known_tasks')) === expectedTasks,
      30000,
    );
    expect(await measures.count(`SELECT * FROM task_changes WHERE type = 'dispatched'`)).toBe(expectedTasks);
    expect(await measures.count(`SELECT task_id FROM task_changes GROUP BY task_id HAVING count(*) > 1`)).toBe(0);
    expect(await measures.count(`SELECT DISTINCT entry_id FROM tasks`)).toBe(entries.length);
    expect(await measures.count('SELECT * FROM dead_letters')).toBe(0);
    for (const probe of [lists, measures, feedback]) {
      await waitFor(
        `${probe.schema} outbox drained`,
        async () => (await probe.count('SELECT * FROM outbox_pending')) === 0,
      );
    }
  });

  it('never writes an ID number to its log, even at the verbose level', () => {
    const log = readFileSync(logFile, 'utf8');
    expect(log.length).toBeGreaterThan(1000);
    const leaked = Array.from({ length: 60 }, (_, n) => makeIdNumber(n)).filter((id) => log.includes(id));
    expect(leaked).toEqual([]);
  });
});
