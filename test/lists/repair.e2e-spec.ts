import { randomUUID } from 'node:crypto';
import { makeIdNumber, makeUscc, uniquePrefix, waitFor } from '@jrp/testing';
import { todayInShanghai } from '@jrp/domain';
import { useStandalone } from '../support/standalone';

const STATS = 'AH-STATS'; // identifies 统计领域严重失信企业 (seed: repaired on application 2025, graded)
const TAX = 'AH-TAX'; // identifies 重大税收违法案件当事人 (seed: the 2018 path)
const OFFICE = 'AH-CREDIT-OFFICE';
const HEFEI_OFFICE = 'AH-C340100';
const WUHU_OFFICE = 'AH-C340200';
const PORTAL = 'TEST-PORTAL'; // the public credit website (信用网站), created below with the role portal only
const RAILWAY = 'AH-RAILWAY'; // implements measures for other lists, not this one: it decides nothing here

type Task = { id: string; entryId: string; organization: string; status: string; revocation: { reason: string } };

const statsEntry = (n: number, extra: object = {}) => ({
  listType: 'BL-STATISTICS',
  subject: { kind: 'legal', name: `信用修复测试公司${n}`, uscc: makeUscc(8700 + n) },
  reason: '统计造假',
  decidedBy: '安徽省统计局',
  identificationLevel: 'city',
  documentNo: `皖统罚〔2025〕${n}号`,
  listedAt: '2025-11-14',
  grade: 'serious', // published until 2028-11-14; repairable from Mon 2026-11-16 (the minimum ends Sat 2026-11-14)
  region: '340104',
  // BL-STATISTICS is notice-first: the notice was served long before, outside jrp, so the entry is listed directly
  notice: { servedOn: '2025-10-20', documentNo: `皖统告〔2025〕${n}号` },
  ...extra,
});
const application = (extra: object = {}) => ({
  evidence: '已更正全部统计数据，并缴清罚款（附缴款凭证）',
  commitment: '本单位承诺依法依规统计，不再发生统计造假行为，自愿接受社会监督。',
  at: '2026-11-20',
  ...extra,
});

/**
 * Credit repair on application (信用修复管理办法 2025) on real PostgreSQL and Kafka: a graded entry whose
 * application is refused before repairableFrom and approved after it, its tasks revoked with reason
 * repair, the public view cleared, lifting confirmed and reported; a rejected application; the portal
 * token that files objections and repair applications and nothing else; the 2018 path unchanged.
 */
describe('credit repair on application (信用修复申请)', () => {
  const topics = uniquePrefix('repair').replace(/_/g, '-').slice(0, -1) + '.';
  const suite = useStandalone('repair', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics });
  const { lists } = suite;

  const as = (code: string) => suite.api.as(code);
  const publish = async (body: object) => {
    const res = await (await as(STATS)).post('/api/v1/lists/entries', body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const publicNames = async (q: string) =>
    (
      (await suite.api.http().get(`/api/v1/lists/public?q=${encodeURIComponent(q)}`)).body.items as {
        subject: { name: string };
      }[]
    ).map((i) => i.subject.name);
  const tasksOf = async (entryId: string, status: string): Promise<Task[]> =>
    ((await (await as(OFFICE)).get(`/api/v1/tasks?status=${status}&limit=500`)).body.items as Task[]).filter(
      (t) => t.entryId === entryId,
    );

  beforeAll(async () => {
    const res = await suite.api
      .http()
      .post('/api/v1/admin/organizations')
      .set('Authorization', `Bearer ${suite.env.JRP_ADMIN_TOKEN}`)
      .send({ code: PORTAL, name: '信用安徽网站', level: 'province', region: '340000', roles: ['portal'] });
    expect(res.status).toBe(201);
    await waitFor(
      'the portal known to list-ingestion',
      async () => (await lists.count(`SELECT * FROM known_organizations WHERE code = $1`, [PORTAL])) > 0,
    );
  });

  describe('approved after repairableFrom', () => {
    let entryId: string;
    let applicationId: string;
    let open: Task[];

    beforeAll(async () => {
      entryId = await publish(statsEntry(1));
      open = await waitFor(
        'the entry’s tasks',
        async () => {
          const tasks = await tasksOf(entryId, 'open');
          return tasks.length >= 2 ? tasks : undefined;
        },
        30000,
      );
    });

    it('refuses an application before repairableFrom with the date, and on a list type of another path', async () => {
      const office = await as(OFFICE);
      const early = await office.post(
        `/api/v1/lists/entries/${entryId}/repair-applications`,
        application({ at: '2026-11-13' }),
      );
      expect(early.status).toBe(409);
      expect(early.body.errors).toEqual([{ field: 'repairableFrom', message: '2026-11-16' }]);
      expect(early.body.detail).toContain('2026-11-16');

      // bad input: 400 per field, nothing stored
      const bad = await office.post(`/api/v1/lists/entries/${entryId}/repair-applications`, {
        evidence: '',
        at: 'soon',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['at', 'commitment', 'evidence']);
      const future = await office.post(
        `/api/v1/lists/entries/${entryId}/repair-applications`,
        application({ at: '2099-01-02' }),
      );
      expect([future.status, future.body.errors?.[0]?.field]).toEqual([400, 'at']);
      expect(await lists.count(`SELECT * FROM repair_applications WHERE entry_id = $1`, [entryId])).toBe(0);

      // the 2018 path: 409 saying which path the list type takes
      const tax = await (
        await as(TAX)
      ).post('/api/v1/lists/entries', {
        ...statsEntry(2, { listType: 'BL-TAX-MAJOR-CASE', decidedBy: '国家税务总局安徽省税务局稽查局' }),
        grade: undefined,
        subject: { kind: 'legal', name: '税务修复测试公司', uscc: makeUscc(8790) },
      });
      expect(tax.status).toBe(201);
      const taxApplication = await office.post(
        `/api/v1/lists/entries/${tax.body.id}/repair-applications`,
        application(),
      );
      expect(taxApplication.status).toBe(409);
      expect(taxApplication.body.detail).toContain('watch-list-2018');
      // …whose 2018 steps still work
      const step = await (
        await as(TAX)
      ).post(`/api/v1/lists/entries/${tax.body.id}/transitions`, {
        action: 'move-to-watch',
        reason: '已纠正',
        at: todayInShanghai(),
      });
      expect([step.status, step.body.status]).toEqual([200, 'watch']);
    });

    it('files one application at a time, with its deadline in working days, in the deciding department’s queue', async () => {
      const office = await as(OFFICE);
      const filed = await office.post(`/api/v1/lists/entries/${entryId}/repair-applications`, application());
      expect(filed.status).toBe(201);
      expect(filed.body).toMatchObject({
        entryId,
        status: 'pending',
        statusLabel: '待决定',
        channel: 'counter',
        filedOn: '2026-11-20',
        decidingOrganization: STATS,
        deadline: '2026-12-04', // ten working days after Fri 2026-11-20
      });
      expect(filed.body.overdue).toBe(todayInShanghai() > '2026-12-04');
      applicationId = filed.body.id;
      const again = await office.post(`/api/v1/lists/entries/${entryId}/repair-applications`, application());
      expect(again.status).toBe(409);

      const queue = (await (await as(STATS)).get('/api/v1/lists/repair-applications?status=pending')).body.items;
      expect(queue.map((a: { id: string }) => a.id)).toContain(applicationId);
      expect(
        (await (await as(OFFICE)).get('/api/v1/lists/repair-applications')).body.items.map((a: { id: string }) => a.id),
      ).toContain(applicationId);
      expect(
        (await (await as(HEFEI_OFFICE)).get('/api/v1/lists/repair-applications')).body.items.map(
          (a: { id: string }) => a.id,
        ),
      ).toContain(applicationId);
      expect((await (await as(WUHU_OFFICE)).get('/api/v1/lists/repair-applications')).body.items).toEqual([]);
      expect((await (await as(TAX)).get('/api/v1/lists/repair-applications')).body.items).toEqual([]);
    });

    it('lets only the deciding department or the office (its city) decide', async () => {
      const path = `/api/v1/lists/repair-applications/${applicationId}/decision`;
      const body = { approved: true, reason: '已纠正失信行为、履行法定义务并作出信用承诺' };
      expect((await (await as(TAX)).post(path, body)).status).toBe(404); // another department
      expect((await (await as(WUHU_OFFICE)).post(path, body)).status).toBe(404); // another city's office
      expect((await (await as(PORTAL)).post(path, body)).status).toBe(403);
      expect((await (await as(TAX)).get(`/api/v1/lists/repair-applications/${applicationId}`)).status).toBe(404);
      expect((await (await as(PORTAL)).get(`/api/v1/lists/repair-applications/${applicationId}`)).status).toBe(404); // not its own
      expect(
        (await (await as(STATS)).post(`/api/v1/lists/repair-applications/${randomUUID()}/decision`, body)).status,
      ).toBe(404);
      expect(
        await lists.count(`SELECT * FROM repair_applications WHERE id = $1 AND status = 'pending'`, [applicationId]),
      ).toBe(1);
    });

    it('approved: the entry is removed with jrp.list-entry.repaired, the public view cleared, the history kept', async () => {
      expect(await publicNames('信用修复测试公司1')).toEqual(['信用修复测试公司1']);
      const decided = await (
        await as(STATS)
      ).post(`/api/v1/lists/repair-applications/${applicationId}/decision`, {
        approved: true,
        reason: '已纠正失信行为、履行法定义务并作出信用承诺',
      });
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({
        status: 'approved',
        statusLabel: '准予修复',
        entry: { id: entryId, version: 2, status: 'removed' },
      });
      const again = await (
        await as(STATS)
      ).post(`/api/v1/lists/repair-applications/${applicationId}/decision`, {
        approved: false,
        reason: '再次决定',
      });
      expect(again.status).toBe(409);

      const events = await lists.query<{ type: string; status: string }>(
        `SELECT type, envelope->'data'->>'status' AS status FROM outbox WHERE type LIKE 'jrp.list-entry.%' AND envelope->'data'->>'entryId' = $1 ORDER BY seq`,
        [entryId],
      );
      expect(events.map((e) => [e.type, e.status])).toEqual([
        ['jrp.list-entry.listed', 'active'],
        ['jrp.list-entry.repaired', 'removed'],
      ]);
      expect(await publicNames('信用修复测试公司1')).toEqual([]);

      const history = (await (await as(STATS)).get(`/api/v1/lists/entries/${entryId}/history`)).body.items;
      expect(history.map((h: { action: string }) => h.action)).toEqual(['listed', 'repair-approved']);
      const credit = (await (await as(OFFICE)).get(`/api/v1/subjects/${makeUscc(8701)}/credit`)).body;
      expect(credit.entries[0]).toMatchObject({ id: entryId, status: 'removed' });
      expect(credit.repairs.map((r: { action: string }) => r.action)).toEqual(['repair-applied', 'repair-approved']);
    });

    it('serves the 信用修复决定书 as JSON and as escaped printable HTML', async () => {
      const json = await (await as(STATS)).get(`/api/v1/lists/repair-applications/${applicationId}/document`);
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({ title: '信用修复决定书', status: 'approved', decision: '准予信用修复' });
      const html = await suite.api
        .http()
        .get(`/api/v1/lists/repair-applications/${applicationId}/document`)
        .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
        .set('Accept', 'text/html');
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(html.text).toContain('准予信用修复');
      expect(html.text).toContain('皖统罚〔2025〕1号');
      expect(
        (await (await as(WUHU_OFFICE)).get(`/api/v1/lists/repair-applications/${applicationId}/document`)).status,
      ).toBe(404);
    });

    it('revokes the tasks with reason repair; each department confirms and the lifting report shows 信用修复', async () => {
      const revoked = await waitFor(
        'every task revoked',
        async () => {
          const tasks = await tasksOf(entryId, 'revoked');
          return tasks.length === open.length ? tasks : undefined;
        },
        30000,
      );
      expect(revoked.map((t) => t.revocation.reason)).toEqual(revoked.map(() => 'repair'));
      for (const task of revoked) {
        const res = await (
          await as(task.organization)
        ).post(`/api/v1/tasks/${task.id}/lifted`, {
          liftedAt: todayInShanghai(),
          note: '已解除',
        });
        expect([task.organization, res.status]).toEqual([task.organization, 200]);
      }
      const rows = await waitFor(
        'every confirmation in the lifting report',
        async () => {
          const items = (await (await as(OFFICE)).get('/api/v1/reports/lifting')).body.items.filter(
            (i: { entryId: string }) => i.entryId === entryId,
          );
          return items.length === revoked.length && items.every((i: { state: string }) => i.state === 'confirmed')
            ? items
            : undefined;
        },
        30000,
      );
      expect(rows.map((r: { reason: string; reasonLabel: string }) => [r.reason, r.reasonLabel])).toEqual(
        rows.map(() => ['repair', '信用修复']),
      );
      expect(rows.map((r: { organization: string }) => r.organization).sort()).toEqual(
        revoked.map((t) => t.organization).sort(),
      );
    });
  });

  it('rejected: the entry stands, the reason is kept, a new application may follow', async () => {
    const entryId = await publish(statsEntry(3));
    const office = await as(HEFEI_OFFICE);
    const filed = await office.post(`/api/v1/lists/entries/${entryId}/repair-applications`, application());
    expect(filed.status).toBe(201);
    const decided = await office.post(`/api/v1/lists/repair-applications/${filed.body.id}/decision`, {
      approved: false,
      reason: '罚款尚未缴清',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'rejected',
      decisionReason: '罚款尚未缴清',
      entry: { status: 'active', version: 1 },
    });
    expect((await (await as(STATS)).get(`/api/v1/lists/entries/${entryId}`)).body.status).toBe('active');
    expect(await publicNames('信用修复测试公司3')).toEqual(['信用修复测试公司3']);
    const credit = (await (await as(OFFICE)).get(`/api/v1/subjects/${makeUscc(8703)}/credit`)).body;
    expect(credit.repairs.map((r: { action: string; reason: string | null }) => [r.action, r.reason])).toEqual([
      ['repair-applied', null],
      ['repair-rejected', '罚款尚未缴清'],
    ]);
    const doc = await (await as(STATS)).get(`/api/v1/lists/repair-applications/${filed.body.id}/document`);
    expect(doc.body.decision).toBe('不予信用修复');
    // a new application may follow; the same Idempotency-Key replays it instead of filing a second one
    const token = await suite.api.tokenOf(HEFEI_OFFICE);
    const fileWithKey = () =>
      suite.api
        .http()
        .post(`/api/v1/lists/entries/${entryId}/repair-applications`)
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', 'repair-replay-3')
        .send(application());
    const first = await fileWithKey();
    const replay = await fileWithKey();
    expect([first.status, replay.status, replay.body.id]).toEqual([201, 201, first.body.id]);
    expect(await lists.count(`SELECT * FROM repair_applications WHERE entry_id = $1`, [entryId])).toBe(2);
  });

  describe('the portal (信用网站)', () => {
    const idNumber = makeIdNumber(8704);
    const person = (n: number) =>
      statsEntry(n, { subject: { kind: 'natural', name: `修复测试自然人${n}`, idType: 'resident-id', idNumber } });
    let entryId: string;

    beforeAll(async () => {
      entryId = await publish(person(4));
    });

    it('looks the entry up by subject and document number, audited, telling nothing more personal', async () => {
      const portal = await as(PORTAL);
      const found = await portal.post('/api/v1/lists/portal/lookup', {
        subject: { idNumber },
        documentNo: '皖统罚〔2025〕4号',
      });
      expect(found.status).toBe(200);
      expect(found.body.items).toEqual([
        expect.objectContaining({
          entryId,
          listType: 'BL-STATISTICS',
          status: 'active',
          repairableFrom: '2026-11-16',
          repairPath: 'application-2025',
          pendingRepairApplication: null,
          pendingObjection: null,
        }),
      ]);
      expect(JSON.stringify(found.body)).not.toContain('修复测试自然人');
      expect(
        (await portal.post('/api/v1/lists/portal/lookup', { subject: { idNumber }, documentNo: '皖统罚〔2025〕99号' }))
          .status,
      ).toBe(404);
      const audited = await lists.count(
        `SELECT * FROM outbox WHERE type = 'jrp.audit.recorded' AND envelope->'data'->>'action' = 'subject.portal-lookup'`,
      );
      expect(audited).toBe(2);
      expect(
        (await (await as(OFFICE)).post('/api/v1/lists/portal/lookup', { subject: { idNumber }, documentNo: 'x' }))
          .status,
      ).toBe(403);
    });

    it('files an objection and a repair application for the subject it names, and reads their status', async () => {
      const portal = await as(PORTAL);
      const wrong = { subject: { idNumber }, documentNo: '皖统罚〔2025〕5号' };
      const right = { subject: { idNumber }, documentNo: '皖统罚〔2025〕4号' };
      const objection = { statement: '认定事实有误', contact: '0551-00000000' };
      // identity missing: 400; wrong document number or another subject: 404
      expect((await portal.post(`/api/v1/lists/entries/${entryId}/objections`, objection)).status).toBe(400);
      expect(
        (await portal.post(`/api/v1/lists/entries/${entryId}/objections`, { ...objection, ...wrong })).status,
      ).toBe(404);
      const other = { subject: { idNumber: makeIdNumber(8705) }, documentNo: right.documentNo };
      expect(
        (await portal.post(`/api/v1/lists/entries/${entryId}/objections`, { ...objection, ...other })).status,
      ).toBe(404);
      expect(
        (await portal.post(`/api/v1/lists/entries/${entryId}/repair-applications`, application(wrong))).status,
      ).toBe(404);

      const filedObjection = await portal.post(`/api/v1/lists/entries/${entryId}/objections`, {
        ...objection,
        ...right,
      });
      expect(filedObjection.status).toBe(201);
      const read = await portal.get(`/api/v1/lists/objections/${filedObjection.body.id}`);
      expect(read.body).toMatchObject({
        id: filedObjection.body.id,
        status: 'pending',
        statusLabel: '待处理',
        filedBy: PORTAL,
      });
      expect((await (await as(WUHU_OFFICE)).get(`/api/v1/lists/objections/${filedObjection.body.id}`)).status).toBe(
        404,
      );

      // an ID number typed into the evidence is masked before it is stored
      const filed = await portal.post(
        `/api/v1/lists/entries/${entryId}/repair-applications`,
        application({ ...right, evidence: `本人（身份证 ${idNumber}）已缴清罚款` }),
      );
      expect(filed.status).toBe(201);
      expect(filed.body).toMatchObject({ channel: 'portal', channelLabel: '信用网站申请', filedBy: PORTAL });
      // the decision document names the person by the masked number only
      const doc = await suite.api
        .http()
        .get(`/api/v1/lists/repair-applications/${filed.body.id}/document?format=html`)
        .set('Authorization', `Bearer ${await suite.api.tokenOf(STATS)}`);
      expect(doc.status).toBe(200);
      expect(doc.text).toContain(`${idNumber.slice(0, 6)}************`);
      expect(doc.text).not.toContain(idNumber);
      expect((await portal.get(`/api/v1/lists/repair-applications/${filed.body.id}/document`)).status).toBe(403);
      const status = await portal.get(`/api/v1/lists/repair-applications/${filed.body.id}`);
      expect(status.body).toMatchObject({ id: filed.body.id, status: 'pending' });
      const lookup = await portal.post('/api/v1/lists/portal/lookup', right);
      expect(lookup.body.items[0]).toMatchObject({
        pendingRepairApplication: { id: filed.body.id },
        pendingObjection: { id: filedObjection.body.id },
      });

      // the ID number is stored nowhere in clear: not in the application, the objection or the idempotency store
      for (const table of ['repair_applications', 'objections', 'idempotency_keys', 'outbox', 'list_entry_history'])
        expect([table, await lists.count(`SELECT * FROM ${table} t WHERE t::text LIKE $1`, [`%${idNumber}%`])]).toEqual(
          [table, 0],
        );
    });

    it('is refused (403) on every other route it tries', async () => {
      const portal = await as(PORTAL);
      const tries = [
        portal.post('/api/v1/lists/entries', person(6)),
        portal.post(`/api/v1/lists/entries/${entryId}/transitions`, {
          action: 'remove',
          reason: 'x',
          at: todayInShanghai(),
        }),
        portal.get(`/api/v1/lists/entries/${entryId}`),
        portal.get('/api/v1/lists/objections'),
        portal.get('/api/v1/lists/repair-applications'),
        portal.get('/api/v1/tasks/feed'),
        portal.get('/api/v1/tasks'),
        portal.get('/api/v1/reports/lifting'),
        portal.get('/api/v1/reports/completion'),
        portal.get(`/api/v1/subjects/${idNumber}/credit`),
        portal.get('/api/v1/catalogue/list-types'),
      ];
      expect((await Promise.all(tries)).map((r) => r.status)).toEqual(tries.map(() => 403));
      expect(
        (await (await as(RAILWAY)).post(`/api/v1/lists/entries/${entryId}/repair-applications`, application())).status,
      ).toBe(403);
    });
  });
  it('takes the decision period from the list type’s rule set: the office changes it in a catalogue version', async () => {
    const office = await as(OFFICE);
    const stats = () =>
      office
        .get('/api/v1/catalogue/list-types?limit=100')
        .then((r) => (r.body.items as { code: string }[]).find((l) => l.code === 'BL-STATISTICS'));
    expect(await stats()).toMatchObject({ repairDecisionWorkingDays: 10 });
    const draft = (await office.get('/api/v1/catalogue/draft')).body.document as {
      listTypes: Record<string, unknown>[];
    };
    for (const l of draft.listTypes) if (l.code === 'BL-STATISTICS') l.repairDecisionWorkingDays = 15;
    const put = await suite.api
      .http()
      .put('/api/v1/catalogue/draft')
      .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
      .send(draft);
    expect([put.status, put.body.problems]).toEqual([200, []]);
    const published = await office.post('/api/v1/catalogue/versions', { note: '统计名单修复决定期限 15 个工作日' });
    expect(published.status).toBe(201);
    const version = published.body.version as number;
    const diff = (await office.get(`/api/v1/catalogue/versions/${version - 1}/diff/${version}`)).body;
    expect((diff.listTypes.changed as { code: string; fields: string[] }[]).map((c) => [c.code, c.fields])).toEqual([
      ['BL-STATISTICS', ['repairDecisionWorkingDays']],
    ]);
    expect(await stats()).toMatchObject({ repairDecisionWorkingDays: 15 });
    await waitFor(
      'list-ingestion on the new catalogue version',
      async () =>
        (await lists.query<{ version: number }>('SELECT version FROM catalogue_state'))[0]?.version === version,
    );
    const entryId = await publish(statsEntry(9));
    const filed = await office.post(`/api/v1/lists/entries/${entryId}/repair-applications`, application());
    expect(filed.body).toMatchObject({ filedOn: '2026-11-20', deadline: '2026-12-11' }); // 15 working days
  });
});
