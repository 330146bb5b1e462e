import { waitFor } from '@jrp/testing';
import { courtEntry, COURT } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

const FULL = { mode: 'full', listType: 'BL-COURT-DEBTOR' };

/** Safe full pushes (issue 20, part 2): a dry run, a removal limit, a confirmation. */
describe('safe full pushes', () => {
  const suite = useStandalone('fullpush');
  const { lists } = suite;
  const batch = async (body: object) => (await suite.api.as(COURT)).post('/api/v1/lists/entries/batch', body);
  const active = () =>
    lists.count(
      `SELECT * FROM list_entries WHERE published_by = $1 AND list_type = 'BL-COURT-DEBTOR' AND status IN ('active', 'watch')`,
      [COURT],
    );
  const snapshot = () =>
    lists.query<{ id: string; version: number; status: string }>(
      `SELECT id, version, status FROM list_entries ORDER BY id`,
    );
  const outbox = () => lists.count(`SELECT * FROM outbox`);

  // twenty entries of the court: the default limit is 10 %, two removals
  const numbers = Array.from({ length: 20 }, (_, i) => 8000 + i);
  beforeAll(async () => {
    const res = await batch({ entries: numbers.map((n) => courtEntry(n)) });
    expect(res.body.counts).toMatchObject({ created: 20, rejected: 0 });
  });

  it('a dry run answers what the push would create, update, keep and remove, and changes nothing', async () => {
    const before = await snapshot();
    const outboxBefore = await outbox();
    const kept = numbers.slice(0, 15).map((n) => courtEntry(n));
    kept[0] = courtEntry(8000, { reason: '更正后的列入事由' }); // updated
    const res = await batch({
      ...FULL,
      dryRun: true,
      entries: [...kept, courtEntry(8100), { ...courtEntry(8101), region: 'nowhere' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      mode: 'full',
      dryRun: true,
      counts: { created: 1, updated: 1, unchanged: 14, rejected: 1, removed: 5 },
      removalLimit: { listed: 20, limit: 2, confirmed: false, allowed: false },
    });
    expect(res.body.removalLimit.refusal).toContain('超过上限 2 条');
    expect(res.body.results[15]).toMatchObject({ index: 15, status: 'created' });
    expect(res.body.results[15].id).toBeUndefined(); // nothing stored: no id
    expect(res.body.results[1].id).toEqual(expect.any(String));
    expect(res.body.removals.map((r: { documentNo: string }) => r.documentNo).sort()).toEqual(
      numbers.slice(15).map((n) => courtEntry(n).documentNo),
    );
    expect(await snapshot()).toEqual(before);
    expect(await outbox()).toBe(outboxBefore);
  });

  it('refuses an empty full push of the whole list with 409 and the counts, and changes nothing', async () => {
    const before = await snapshot();
    const outboxBefore = await outbox();
    const res = await batch({ ...FULL, entries: [courtEntry(8200)] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      status: 409,
      code: 'conflict/removal-limit',
      type: '/api/docs/problems/conflict/removal-limit',
      reason: 'over-limit',
      wouldRemove: 20,
      listed: 20,
      limit: 2,
    });
    expect(res.body.detail).toContain('全量推送将移出 20 条');
    expect(await snapshot()).toEqual(before); // not even the new entry 8200
    expect(await outbox()).toBe(outboxBefore);
  });

  it('refuses a confirmation that is not the actual number, even under the limit', async () => {
    const before = await snapshot();
    const res = await batch({
      ...FULL,
      confirmRemovals: 2,
      entries: numbers.slice(0, 19).map((n) => courtEntry(n)),
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ reason: 'confirmation-mismatch', wouldRemove: 1 });
    expect(await snapshot()).toEqual(before);
  });

  it('takes a push within the limit, then a larger one with maxRemovals or with the confirmed number', async () => {
    // within the default limit: two removals of twenty
    const first = await batch({ ...FULL, entries: numbers.slice(0, 18).map((n) => courtEntry(n)) });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      dryRun: false,
      counts: { unchanged: 18, removed: 2 },
      removalLimit: { listed: 20, limit: 2, confirmed: false, allowed: true },
    });
    expect(await active()).toBe(18);
    // a limit of the caller's: 3 of 18
    const second = await batch({ ...FULL, maxRemovals: 3, entries: numbers.slice(0, 15).map((n) => courtEntry(n)) });
    expect(second.status).toBe(200);
    expect(second.body.counts.removed).toBe(3);
    // the whole list but one, confirmed
    const refused = await batch({ ...FULL, entries: [courtEntry(8000)] });
    expect(refused.status).toBe(409);
    expect(refused.body.wouldRemove).toBe(14);
    const confirmed = await batch({ ...FULL, confirmRemovals: refused.body.wouldRemove, entries: [courtEntry(8000)] });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      counts: { unchanged: 1, removed: 14 },
      removalLimit: { confirmed: true, allowed: true },
    });
    expect(confirmed.body.removals).toHaveLength(14);
    expect(await active()).toBe(1);
    const [history] = await lists.query<{ reason: string }>(
      `SELECT h.reason FROM list_entry_history h JOIN list_entries e ON e.id = h.entry_id
       WHERE e.document_no = $1 AND h.action = 'remove'`,
      [courtEntry(8001).documentNo],
    );
    expect(history.reason).toContain('absent from full push');
  });

  it('refuses bad limits with field errors', async () => {
    const res = await batch({ ...FULL, maxRemovalShare: 1.5, maxRemovals: -1, entries: [courtEntry(8000)] });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['maxRemovalShare', 'maxRemovals']);
  });

  it('a full import is refused by the limit, runs as a dry run, and is taken with the confirmation', async () => {
    // the court's list is one entry now (8000); give it ten more, then import only two of them
    await batch({ entries: numbers.slice(1, 11).map((n) => courtEntry(n, { documentNo: `导入-${n}` })) });
    expect(await active()).toBe(11);
    const header = '名单类型,主体类别,主体名称,统一社会信用代码,列入事由,认定部门,认定级别,认定文号,列入日期,行政区划';
    const line = (n: number) => {
      const e = courtEntry(n, { documentNo: `导入-${n}` });
      return `BL-COURT-DEBTOR,法人,${e.subject.name},${e.subject.uscc},拒不履行,合肥中院,省级,${e.documentNo},2026-11-02,340100`;
    };
    const file = Buffer.from(`${header}\r\n${line(8001)}\r\n${line(8002)}\r\n`, 'utf8');
    const token = await suite.api.tokenOf(COURT);
    const upload = async (fields: Record<string, string>) => {
      const req = suite.api
        .http()
        .post('/api/v1/lists/imports')
        .set('Authorization', `Bearer ${token}`)
        .attach('file', file, 'full.csv');
      for (const [k, v] of Object.entries({ ...FULL, ...fields })) req.field(k, v);
      const res = await req;
      expect(res.status).toBe(202);
      return waitFor(
        'import finished',
        async () => {
          const r = await (await suite.api.as(COURT)).get(`/api/v1/lists/imports/${res.body.id}`);
          return ['done', 'failed'].includes(r.body.status) ? r.body : undefined;
        },
        30000,
      );
    };
    const before = await snapshot();
    const refused = await upload({});
    expect(refused).toMatchObject({ status: 'failed', removed: 0, total: 0 });
    expect(refused.error).toContain('全量推送将移出 9 条');
    const dry = await upload({ dryRun: 'true' });
    expect(dry).toMatchObject({ status: 'done', dryRun: true, total: 2, updated: 2, removed: 9 });
    expect(await snapshot()).toEqual(before);
    const taken = await upload({ confirmRemovals: '9' });
    expect(taken).toMatchObject({ status: 'done', dryRun: false, total: 2, updated: 2, removed: 9 });
    expect(await active()).toBe(2);
  });
});
