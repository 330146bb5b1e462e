import { makeIdNumber, makeUscc, uniquePrefix, waitFor } from '@jrp/testing';
import { todayInShanghai } from '@jrp/domain';
import { useStandalone } from '../support/standalone';

const STATS = 'AH-STATS'; // identifies 统计领域严重失信企业 (seed: notice-first, graded, repaired on application)
const TAX = 'AH-TAX'; // another publisher
const OFFICE = 'AH-CREDIT-OFFICE';
const HEFEI = 'AH-C340100'; // 合肥市信用办: the entries below are in 合肥 (340104)
const WUHU = 'AH-C340200'; // 芜湖市信用办
const HOUSING = 'AH-HOUSING'; // implements BL-STATISTICS measures for legal subjects

const daysAgo = (n: number) =>
  new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);

const statsEntry = (n: number, extra: object = {}) => ({
  listType: 'BL-STATISTICS',
  subject: {
    kind: 'legal',
    name: `告知测试公司${n}`,
    uscc: makeUscc(9100 + n),
    legalRepresentative: { name: `法人${n}`, idNumber: makeIdNumber(9100 + n) },
  },
  reason: '统计造假，情节严重',
  decidedBy: '安徽省统计局',
  identificationLevel: 'provincial',
  documentNo: `皖统罚〔2026〕9${n}号`,
  listedAt: todayInShanghai(),
  region: '340104',
  ...extra,
});

/**
 * Notice before listing (拟列入 → 告知 → 陈述申辩 → 列入决定, 国办发〔2020〕49号) on a notice-first list type,
 * on real PostgreSQL and Kafka: a noticed entry has no tasks, is not public nor reported by a counter check;
 * the department's decision lists it and measures dispatches its tasks; the decision document.
 */
describe('notice before listing (notice-first)', () => {
  const topics = uniquePrefix('notice').replace(/_/g, '-');
  const suite = useStandalone('notice', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics.slice(0, -1) });
  const today = todayInShanghai();

  const publish = async (body: object, by = STATS) => (await suite.api.as(by)).post('/api/v1/lists/entries', body);
  const read = async (id: string, by = STATS) =>
    (await (await suite.api.as(by)).get(`/api/v1/lists/entries/${id}`)).body;
  const step = async (id: string, body: object, by = STATS) =>
    (await suite.api.as(by)).post(`/api/v1/lists/entries/${id}/transitions`, { reason: '依据', at: today, ...body });
  const state = (id: string) =>
    waitFor(
      `measures' state of ${id}`,
      async () => {
        const [row] = await suite.measures.query<{ status: string; version: number }>(
          `SELECT status, version FROM entry_states WHERE entry_id = $1`,
          [id],
        );
        return row;
      },
      30000,
    );
  const tasksOf = (id: string) =>
    suite.measures.query<{ organization: string; status: string }>(
      `SELECT organization, status FROM tasks WHERE entry_id = $1 ORDER BY organization`,
      [id],
    );
  const eventTypes = async (id: string) =>
    (
      await suite.lists.query<{ type: string }>(
        `SELECT type FROM outbox WHERE type LIKE 'jrp.list-entry.%' AND envelope->'data'->>'entryId' = $1 ORDER BY seq`,
        [id],
      )
    ).map((e) => e.type);
  const publicNames = async (q: string) =>
    (
      (await suite.api.http().get(`/api/v1/lists/public?q=${encodeURIComponent(q)}`)).body.items as {
        subject: { name: string };
      }[]
    ).map((i) => i.subject.name);

  it('from notice to statement to decision: no tasks while noticed, tasks dispatched once listed', async () => {
    const res = await publish(statsEntry(1));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'noticed', outcome: 'created' });
    const id = res.body.id as string;
    const noticed = await read(id);
    expect(noticed).toMatchObject({
      status: 'noticed',
      statusLabel: '拟列入',
      notice: { servedOn: today, documentNo: null, servedOutside: false },
      statement: null,
      decision: null,
      decisionOverdue: false,
    });
    expect(noticed.statementDeadline > today).toBe(true);
    expect(await eventTypes(id)).toEqual(['jrp.list-entry.noticed']);

    // measures knows it and creates no task; the public list and a counter check do not show it
    expect((await state(id)).status).toBe('noticed');
    expect(await tasksOf(id)).toEqual([]);
    expect(await publicNames('告知测试公司1')).toEqual([]);
    const check = await (
      await suite.api.as(HOUSING)
    ).post('/api/v1/checks', {
      subject: { uscc: makeUscc(9101) },
      businessType: '招投标',
      reference: 'ZB-NOTICE-1',
    });
    expect(check.status).toBe(200);
    expect(check.body.listed).toBe(false);
    expect(check.body.measures ?? []).toEqual([]);
    expect(JSON.stringify(check.body.entries ?? [])).not.toContain(id);

    // the office's queue of noticed entries, with the deadline
    const queue = await (await suite.api.as(OFFICE)).get('/api/v1/lists/entries?status=noticed&limit=200');
    expect(queue.status).toBe(200);
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({ id, status: 'noticed', statementDeadline: noticed.statementDeadline }),
    );

    // decide before the deadline without a statement: 409 naming the deadline; no listing decision yet
    const early = await step(id, { action: 'decide' });
    expect(early.status).toBe(409);
    expect(early.body.errors).toEqual([{ field: 'statementDeadline', message: noticed.statementDeadline }]);
    expect((await (await suite.api.as(STATS)).get(`/api/v1/lists/entries/${id}/decision`)).status).toBe(409);
    // the 2018 steps and removal do not apply to a noticed entry
    expect((await step(id, { action: 'remove' })).status).toBe(409);

    // the subject's statement, recorded by the publisher; a second one 409
    const statement = await (
      await suite.api.as(STATS)
    ).post(`/api/v1/lists/entries/${id}/statements`, {
      text: '已补报数据，请求从轻',
      at: today,
      contact: '0551-12345678',
    });
    expect(statement.status).toBe(201);
    expect(statement.body).toMatchObject({
      status: 'noticed',
      statement: { text: '已补报数据，请求从轻', recordedBy: STATS },
    });
    expect(
      (
        await (
          await suite.api.as(STATS)
        ).post(`/api/v1/lists/entries/${id}/statements`, { text: '再次申辩', at: today })
      ).status,
    ).toBe(409);

    // once the subject has spoken, the department decides: listed as of the decision, tasks dispatched
    const decided = await step(id, { action: 'decide', reason: '申辩理由不成立，不予采纳' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'active',
      listedAt: today,
      grade: 'serious',
      decision: { outcome: 'listed', at: today, reason: '申辩理由不成立，不予采纳', by: STATS },
    });
    expect(await eventTypes(id)).toEqual([
      'jrp.list-entry.noticed',
      'jrp.list-entry.statement-recorded',
      'jrp.list-entry.listed',
    ]);
    const tasks = await waitFor(
      'tasks of the decided entry',
      async () => {
        const rows = await tasksOf(id);
        return rows.length > 0 && rows;
      },
      30000,
    );
    expect(tasks).toContainEqual({ organization: HOUSING, status: 'open' });
    expect(await publicNames('告知测试公司1')).toEqual(['告知测试公司1']);
    const history = await (await suite.api.as(STATS)).get(`/api/v1/lists/entries/${id}/history`);
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['notice', 'statement', 'decide']);

    // the listing decision document: JSON, and a printable Chinese page, ID numbers masked
    const json = await (await suite.api.as(STATS)).get(`/api/v1/lists/entries/${id}/decision`);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      title: '列入严重失信主体名单决定书',
      documentNo: statsEntry(1).documentNo,
      reasons: '统计造假，情节严重',
      grade: 'serious',
      gradeLabel: '严重',
      listedAt: today,
      statement: { text: '已补报数据，请求从轻' },
      considered: '申辩理由不成立，不予采纳',
      decidedAt: today,
      decidingOrganization: { code: STATS },
      subject: { uscc: makeUscc(9101), legalRepresentative: { name: '法人1' } },
    });
    expect(json.body.basis).not.toBeNull();
    expect(json.body.remedies).toEqual(expect.any(String));
    expect(json.body.measures.length).toBeGreaterThan(0);
    expect(json.body.measures[0]).toEqual(
      expect.objectContaining({ text: expect.any(String), implementers: expect.any(Array) }),
    );
    expect(json.body.subject.legalRepresentative.idNumber).toMatch(/^\d{6}\*+$/);
    expect(JSON.stringify(json.body)).not.toContain(makeIdNumber(9101));

    const html = await (
      await suite.api.as(OFFICE)
    )
      .get(`/api/v1/lists/entries/${id}/decision`)
      .set('Accept', 'text/html');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    for (const heading of [
      '列入严重失信主体名单决定书',
      '当事人',
      '列入事由',
      '列入依据',
      '告知及陈述申辩情况',
      '移出条件',
      '救济途径',
    ])
      expect(html.text).toContain(heading);
    expect(html.text).toContain(json.body.subject.legalRepresentative.idNumber);
    expect(html.text).not.toContain(makeIdNumber(9101));
    const byQuery = await (await suite.api.as(HEFEI)).get(`/api/v1/lists/entries/${id}/decision?format=html`);
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers['content-type']).toMatch(/text\/html/);

    // another department, and a city office of another city: 404
    expect((await (await suite.api.as(TAX)).get(`/api/v1/lists/entries/${id}/decision`)).status).toBe(404);
    expect((await (await suite.api.as(WUHU)).get(`/api/v1/lists/entries/${id}/decision`)).status).toBe(404);
    // each read of the document is audited (the refused ones are not reads)
    await waitFor(
      'the document reads in the audit trail',
      async () =>
        (await suite.measures.count(
          `SELECT * FROM audit_trail WHERE action = 'list-entry.read-decision' AND object_id = $1`,
          [id],
        )) === 3,
      30000,
    );
    // feedback counts it once listed, on its listing date
    const [counted] = await waitFor(
      'feedback counts the listed entry',
      async () => {
        const rows = await suite.feedback.query<{ listed_on: string }>(
          `SELECT to_char(listed_on, 'YYYY-MM-DD') AS listed_on FROM known_entries WHERE id = $1`,
          [id],
        );
        return rows.length > 0 && rows;
      },
      30000,
    );
    expect(counted.listed_on).toBe(today);
  });

  it('withdraws a noticed entry: terminal, never listed, no tasks, not counted', async () => {
    const res = await publish(statsEntry(2));
    const id = res.body.id as string;
    const withdrawn = await step(id, { action: 'withdraw', reason: '经核实不符合列入条件' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({
      status: 'withdrawn',
      statusLabel: '已撤回',
      decision: { outcome: 'withdrawn' },
    });
    expect(await eventTypes(id)).toEqual(['jrp.list-entry.noticed', 'jrp.list-entry.withdrawn']);
    await waitFor('measures sees the withdrawal', async () => (await state(id)).status === 'withdrawn', 30000);
    expect(await tasksOf(id)).toEqual([]);
    expect((await step(id, { action: 'decide' })).status).toBe(409);
    expect((await (await suite.api.as(STATS)).get(`/api/v1/lists/entries/${id}/decision`)).status).toBe(409);
    // publishing the same decision again does not revive it
    expect((await publish(statsEntry(2))).status).toBe(409);
    // feedback never counted it: a later listing of the same subject (same key, so after it) is counted, it is not
    const later = await publish(
      statsEntry(2, { documentNo: '皖统罚〔2026〕92-2号', notice: { servedOn: daysAgo(30), documentNo: 'N2' } }),
    );
    expect(later.body.status).toBe('active');
    await waitFor(
      'feedback counts the later listing',
      async () => (await suite.feedback.count(`SELECT * FROM known_entries WHERE id = $1`, [later.body.id])) === 1,
      30000,
    );
    expect(await suite.feedback.count(`SELECT * FROM known_entries WHERE id = $1`, [id])).toBe(0);
  });

  it('a notice served outside jrp: listed directly once its statement period has passed, noticed while it runs', async () => {
    const old = await publish(
      statsEntry(3, { listedAt: daysAgo(2), notice: { servedOn: daysAgo(30), documentNo: '皖统告〔2026〕3号' } }),
    );
    expect(old.status).toBe(201);
    expect(old.body.status).toBe('active');
    expect(await read(old.body.id)).toMatchObject({
      status: 'active',
      listedAt: daysAgo(2),
      notice: { servedOn: daysAgo(30), documentNo: '皖统告〔2026〕3号', servedOutside: true },
      decision: { outcome: 'listed', at: daysAgo(2), by: STATS },
    });
    expect(await eventTypes(old.body.id)).toEqual(['jrp.list-entry.listed']);
    await waitFor('tasks of the entry listed directly', async () => (await tasksOf(old.body.id)).length > 0, 30000);

    const running = await publish(statsEntry(4, { notice: { servedOn: today, documentNo: '皖统告〔2026〕4号' } }));
    expect(running.body.status).toBe('noticed');
    const future = await publish(statsEntry(5, { notice: { servedOn: '2999-01-01', documentNo: 'N' } }));
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe('notice.servedOn');
  });

  it('an import: a row with 告知书送达日期 + 告知书文号 long ago is listed, one without starts noticed, one with half is rejected', async () => {
    const header =
      '名单类型,主体类别,主体名称,统一社会信用代码,列入事由,认定部门,认定级别,认定文号,列入日期,行政区划,告知书送达日期,告知书文号';
    const row = (n: number, notice: string) =>
      `BL-STATISTICS,法人,告知导入公司${n},${makeUscc(9200 + n)},统计造假,安徽省统计局,省级,皖统罚〔2026〕导${n}号,${daysAgo(2)},340104,${notice}`;
    const file = Buffer.from(
      [header, row(1, `${daysAgo(30)},皖统告〔2026〕导1号`), row(2, ','), row(3, `${daysAgo(30)},`)].join('\r\n'),
      'utf8',
    );
    const token = await suite.api.tokenOf(STATS);
    const res = await suite.api
      .http()
      .post('/api/v1/lists/imports')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', file, 'notice.csv');
    expect(res.status).toBe(202);
    const job = await waitFor(
      'the import finished',
      async () => {
        const r = await suite.api
          .http()
          .get(`/api/v1/lists/imports/${res.body.id}`)
          .set('Authorization', `Bearer ${token}`);
        return ['done', 'failed'].includes(r.body.status) && r.body;
      },
      30000,
    );
    expect(job).toMatchObject({ status: 'done', total: 3, created: 2, rejected: 1 });
    const stored = await suite.lists.query<{ subject_name: string; status: string }>(
      `SELECT subject_name, status FROM list_entries WHERE subject_name LIKE '告知导入公司%' ORDER BY subject_name`,
    );
    expect(stored).toEqual([
      { subject_name: '告知导入公司1', status: 'active' },
      { subject_name: '告知导入公司2', status: 'noticed' },
    ]);
  });

  it('the statement: only the publisher or the office (its city), only while noticed', async () => {
    const res = await publish(statsEntry(6));
    const id = res.body.id as string;
    const body = { text: '陈述', at: today };
    expect((await (await suite.api.as(TAX)).post(`/api/v1/lists/entries/${id}/statements`, body)).status).toBe(403);
    expect((await (await suite.api.as(WUHU)).post(`/api/v1/lists/entries/${id}/statements`, body)).status).toBe(404);
    expect((await (await suite.api.as(HEFEI)).post(`/api/v1/lists/entries/${id}/statements`, body)).status).toBe(201);
    const bad = await (await suite.api.as(STATS)).post(`/api/v1/lists/entries/${id}/statements`, { at: today });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('text');
  });
});
