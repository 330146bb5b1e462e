import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Metrics } from '@jrp/messaging';
import { makeIdNumber, makeUscc, personalDataOf, uniquePrefix, waitFor } from '@jrp/testing';
import { CheckIndex } from '../../apps/measures/src/checks/check-index/check-index.service';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';
import { NOT_LISTED_ANSWER } from '../support/checks';
import { useStandalone } from '../support/standalone';

const TAX = 'AH-TAX'; // identifies 重大税收违法案件当事人 (a list left by credit repair, the 2018 path)
/** How soon the index must follow a change of an entry, from its state committed in measures. */
const FOLLOW_MS = 1000;

/**
 * Counter checks answered from memory (issue 21) on a real broker and database: a subject with no
 * reported entry is answered without reading entry_states, only once its check and audit record are
 * committed (group commit), and the index in memory follows listings, removals and credit repairs
 * within a second of measures committing them, and is rebuilt after its connection is lost.
 */
describe('counter checks from memory: the check index', () => {
  const topics = uniquePrefix('memcheck').replace(/_/g, '-');
  const suite = useStandalone('memcheck', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics.slice(0, -1) });
  let serial = 31_000;
  let reference = 0;
  const index = () => suite.app.get(CheckIndex, { strict: false });
  const keyOf = (n: number) => personalDataOf(suite.env).subjectKey('legal', makeUscc(n));

  const check = async (by: string, subject: object, ref = `XK-MEM-${++reference}`) =>
    (await suite.api.as(by)).post('/api/v1/checks', { subject, businessType: '行政许可', reference: ref });

  /** measures' count of checks answered from `source` (jrp_check_answers_total, read from its registry: no scrape's delay). */
  async function answers(source: 'memory' | 'database'): Promise<number> {
    const counter = suite.app.get(Metrics, { strict: false }).registry.getSingleMetric('jrp_check_answers_total')!;
    const { values } = await counter.get();
    return values.find((v) => v.labels.source === source)?.value ?? 0;
  }

  /** The moment the entry's state with `status` is committed in measures (seen by polling every 10 ms). */
  async function committed(entryId: string, status: string): Promise<number> {
    await waitFor(
      `entry ${entryId} ${status} in measures`,
      async () =>
        (await suite.measures.count(`SELECT * FROM entry_states WHERE entry_id = $1 AND status = $2`, [
          entryId,
          status,
        ])) === 1,
      30000,
      10,
    );
    return performance.now();
  }

  /** Checks `n` every 20 ms until the answer is `listed` and the index holds (or no longer holds) its key: the ms since `since`. */
  async function followed(n: number, listed: boolean, since: number): Promise<number> {
    for (;;) {
      const res = await check(RAILWAY, { uscc: makeUscc(n) });
      expect(res.status).toBe(200);
      if (res.body.listed === listed && index().mayBeListed(keyOf(n)) === listed) return performance.now() - since;
      if (performance.now() - since > 10_000) throw new Error(`check of ${n} never answered listed ${listed}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function publish(body: object, by: string): Promise<string> {
    const res = await (await suite.api.as(by)).post('/api/v1/lists/entries', body);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const step = async (by: string, entryId: string, body: object) =>
    expect((await (await suite.api.as(by)).post(`/api/v1/lists/entries/${entryId}/transitions`, body)).status).toBe(
      200,
    );

  beforeAll(async () => {
    await waitFor('the check index complete', () => Promise.resolve(index().complete), 30000, 50);
  });

  it('says on /metrics that its index is complete, and how large it is', async () => {
    const text = (await suite.api.http().get('/metrics')).text;
    expect(text).toMatch(/^jrp_check_index_complete 1$/m);
    expect(text).toMatch(/^jrp_check_index_bytes \d+$/m);
    expect(text).toMatch(/^jrp_check_index_prefixes \d+$/m);
  });

  it('answers an unlisted subject only once its check and audit record are committed', async () => {
    const fromMemory = await answers('memory');
    // hold the checks table: the group commit's insert waits for this transaction
    const holder = new Client({ connectionString: suite.env.DATABASE_URL });
    await holder.connect();
    let answered = false;
    let pending: ReturnType<typeof check> | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${suite.measures.schema}.checks IN SHARE MODE`);
      pending = check(RAILWAY, { uscc: makeUscc(serial++) }, 'XK-MEM-HELD').then((res) => {
        answered = true;
        return res;
      });
      await new Promise((r) => setTimeout(r, 600));
      expect(answered).toBe(false); // not recorded, so not answered
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body).toEqual(NOT_LISTED_ANSWER);
    expect(
      await suite.measures.query(
        `SELECT organization, subject_key, listed, entry_ids, task_ids, reference, checked_at FROM checks WHERE id = $1`,
        [res.body.checkId],
      ),
    ).toEqual([
      {
        organization: RAILWAY,
        subject_key: keyOf(serial - 1),
        listed: false,
        entry_ids: [],
        task_ids: [],
        reference: 'XK-MEM-HELD',
        checked_at: new Date(res.body.checkedAt),
      },
    ]);
    expect(
      await suite.measures.count(
        `SELECT * FROM audit_trail WHERE object_type = 'check' AND object_id = $1 AND action = 'subject.check' AND organization = $2`,
        [res.body.checkId, RAILWAY],
      ),
    ).toBe(1);
    expect(await answers('memory')).toBe(fromMemory + 1);

    // many at once: each answered, each recorded with its audit record by the time its answer arrives
    const checked = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const one = await check(RAILWAY, { uscc: makeUscc(serial + i) }, `XK-MEM-MANY-${i}`);
        const rows = await suite.measures.count(
          `SELECT * FROM checks c JOIN audit_trail a ON a.object_id = c.id::text WHERE c.id = $1`,
          [one.body.checkId],
        );
        return [one.status, one.body.listed, rows];
      }),
    );
    serial += 40;
    expect(checked).toEqual(Array.from({ length: 40 }, () => [200, false, 1]));
    expect(await answers('memory')).toBe(fromMemory + 41);
  });

  it('fails a check whose group commit fails (5xx, no answer, nothing recorded) and records the next ones', async () => {
    await suite.measures.query(
      `CREATE FUNCTION refuse_check() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`,
    );
    await suite.measures.query(
      `CREATE TRIGGER refuse_check BEFORE INSERT ON checks FOR EACH ROW WHEN (NEW.reference = 'XK-MEM-FAIL') EXECUTE FUNCTION refuse_check()`,
    );
    try {
      const res = await (
        await suite.api.as(RAILWAY)
      )
        .post('/api/v1/checks', {
          subject: { uscc: makeUscc(serial++) },
          businessType: '行政许可',
          reference: 'XK-MEM-FAIL',
        })
        .set('X-Request-Id', 'req-memcheck-fail');
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.body.checkId).toBeUndefined();
      expect(res.body.listed).toBeUndefined();
      expect(await suite.measures.count(`SELECT * FROM checks WHERE reference = 'XK-MEM-FAIL'`)).toBe(0);
      // its audit record went with it (one statement)
      expect(
        await suite.measures.count(
          `SELECT * FROM audit_trail WHERE request_id = 'req-memcheck-fail' AND action = 'subject.check'`,
        ),
      ).toBe(0);
    } finally {
      await suite.measures.query(`DROP TRIGGER refuse_check ON checks`);
      await suite.measures.query(`DROP FUNCTION refuse_check()`);
    }
    const next = await check(RAILWAY, { uscc: makeUscc(serial++) });
    expect(next.status).toBe(200);
    expect(await suite.measures.count(`SELECT * FROM checks WHERE id = $1`, [next.body.checkId])).toBe(1);
  });

  it(`follows a listing and a removal within ${FOLLOW_MS} ms, the legal representative too`, async () => {
    const n = serial++;
    const before = await answers('memory');
    expect((await check(RAILWAY, { uscc: makeUscc(n) })).body.listed).toBe(false);
    expect(await answers('memory')).toBe(before + 1); // unlisted: from memory

    const entryId = await publish(courtEntry(n), COURT);
    expect(await followed(n, true, await committed(entryId, 'active'))).toBeLessThan(FOLLOW_MS);
    // the legal representative (法定代表人), checked by ID number, is in the index too
    const person = await check(RAILWAY, { idNumber: makeIdNumber(n) });
    expect(person.body).toMatchObject({
      listed: true,
      entries: [expect.objectContaining({ entryId, foundAs: 'legal-representative' })],
    });

    await step(COURT, entryId, { action: 'remove', reason: '已履行', at: '2026-11-20' });
    expect(await followed(n, false, await committed(entryId, 'removed'))).toBeLessThan(FOLLOW_MS);
    const fromMemory = await answers('memory');
    expect((await check(RAILWAY, { idNumber: makeIdNumber(n) })).body.listed).toBe(false);
    expect(await answers('memory')).toBe(fromMemory + 1); // the representative's key left with the entry
  });

  it(`follows a credit repair (重点关注, then removed) within ${FOLLOW_MS} ms`, async () => {
    const n = serial++;
    const entryId = await publish(
      {
        ...courtEntry(n),
        listType: 'BL-TAX-MAJOR-CASE',
        decidedBy: '国家税务总局安徽省税务局',
        documentNo: `皖税稽罚〔2026〕${n}号`,
      },
      TAX,
    );
    expect(await followed(n, true, await committed(entryId, 'active'))).toBeLessThan(FOLLOW_MS);

    // on the watch list: not listed, but shown, so still read from the database
    await step(TAX, entryId, { action: 'move-to-watch', reason: '已整改', at: '2026-11-21' });
    await committed(entryId, 'watch');
    const fromDatabase = await answers('database');
    const watched = await check(RAILWAY, { uscc: makeUscc(n) });
    expect(watched.body).toMatchObject({
      listed: false,
      entries: [expect.objectContaining({ entryId, status: 'watch' })],
    });
    expect(await answers('database')).toBe(fromDatabase + 1);

    await step(TAX, entryId, {
      action: 'record-commitment',
      reason: '信用承诺',
      at: '2026-11-22',
      text: '本企业承诺依法诚信纳税',
    });
    await step(TAX, entryId, {
      action: 'record-training',
      reason: '修复培训',
      at: '2026-11-23',
      provider: '安徽省信用协会',
      hours: 8,
    });
    expect(await followed(n, false, await committed(entryId, 'removed'))).toBeLessThan(FOLLOW_MS);
  });

  it('reads the database while its connection is lost, and is rebuilt with what changed meanwhile', async () => {
    const killed = await suite.measures.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1`,
      [`jrp-check-index ${suite.measures.schema}`],
    );
    expect(killed).toEqual([{ ok: true }]);
    await waitFor('the index incomplete', () => Promise.resolve(!index().complete), 5000, 5);
    // never "not listed" from an incomplete index: every key is sent to the database
    const unlisted = serial++;
    expect(index().mayBeListed(keyOf(unlisted))).toBe(true);
    expect((await check(RAILWAY, { uscc: makeUscc(unlisted) })).body.listed).toBe(false);

    // listed while the index may be down or rebuilding: the rebuild's load or a notification brings it
    const n = serial++;
    const entryId = await publish(courtEntry(n), COURT);
    await committed(entryId, 'active');
    await waitFor('the index complete again', () => Promise.resolve(index().complete), 30000, 20);
    expect((await check(RAILWAY, { uscc: makeUscc(n) })).body.listed).toBe(true);
    expect(index().mayBeListed(keyOf(n))).toBe(true);
    const fromMemory = await answers('memory');
    expect((await check(RAILWAY, { uscc: makeUscc(serial++) })).body.listed).toBe(false);
    expect(await answers('memory')).toBe(fromMemory + 1);
  });
});
