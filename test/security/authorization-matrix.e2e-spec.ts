import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStandaloneApp } from '../../apps/standalone/src/standalone.app';
import {
  ApiClient,
  cleanUp,
  makeUscc,
  SseClient,
  testConfig,
  testEnvironment,
  uniquePrefix,
  waitFor,
} from '@jrp/testing';
import { COURT, courtEntry, MARKET, RAILWAY } from '../scenarios/loop.scenario';

const WUHU = 'AH-C340200'; // 芜湖市信用办: a city office, on 合肥 (340100) entries
const HEFEI = 'AH-C340100'; // 合肥市信用办

type Role = 'anonymous' | 'publisher' | 'implementer' | 'office' | 'admin' | 'portal';
const ROLES: Role[] = ['anonymous', 'publisher', 'implementer', 'office', 'admin', 'portal'];

interface Row {
  route: string;
  allowed: Record<Role, boolean>;
  objects: string;
}

/** docs/authorization.md, parsed. */
function readMatrix(): Row[] {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', 'authorization.md'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      const allowed = Object.fromEntries(ROLES.map((r, i) => [r, cells[i + 1] === '✓'])) as Record<Role, boolean>;
      return { route: cells[0].replace(/`/g, ''), allowed, objects: cells[7] ?? '' };
    });
}

/** The routes the running application actually serves, as `METHOD /path`. */
function routesOf(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance();
  const stack: { route?: { path: string; methods: Record<string, boolean> } }[] = express.router.stack;
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route!.path}`),
    )
    .filter((route, i, all) => all.indexOf(route) === i);
}

/**
 * Every route × every role, from the table in docs/authorization.md: 401 without a token, 403 for a
 * role that may not, neither for one that may; and for objects, another organisation's answers 404.
 */
describe('authorisation matrix', () => {
  const env = testEnvironment(uniquePrefix('authz'));
  let app: INestApplication;
  let api: ApiClient;
  const rows = readMatrix();
  const tokens: Partial<Record<Role, string>> = {};
  const covers = (row: Row, route: string) =>
    row.route.endsWith('*') ? route.startsWith(row.route.slice(0, -1)) : row.route === route;
  let served: string[] = [];
  /** The table with its wildcard rows expanded to the routes they cover. */
  let matrix: Row[] = rows.filter((r) => !r.route.endsWith('*'));

  beforeAll(async () => {
    app = await createStandaloneApp(testConfig(env));
    api = new ApiClient(app, env.JRP_ADMIN_TOKEN!);
    // one organisation per role, so each token has exactly one role
    for (const role of ['publisher', 'implementer', 'office', 'portal'] as const) {
      const code = `TEST-${role.toUpperCase()}`;
      const res = await api
        .http()
        .post('/api/v1/admin/organizations')
        .set('Authorization', `Bearer ${env.JRP_ADMIN_TOKEN}`)
        .send({ code, name: `测试${role}`, level: 'province', region: '340000', roles: [role] });
      expect(res.status).toBe(201);
      tokens[role] = await api.tokenOf(code);
    }
    tokens.admin = env.JRP_ADMIN_TOKEN;
    served = routesOf(app).sort();
    matrix = served.flatMap((route) =>
      rows
        .filter((row) => covers(row, route))
        .slice(0, 1)
        .map((row) => ({ ...row, route })),
    );
  });

  afterAll(async () => {
    await app?.close();
    await cleanUp(env);
  });

  it('has a row for every route the application serves, and a route for every row', () => {
    expect(served.filter((route) => !rows.some((row) => covers(row, route)))).toEqual([]);
    expect(rows.filter((row) => !served.some((route) => covers(row, route))).map((r) => r.route)).toEqual([]);
  });

  const call = async (route: string, role: Role): Promise<{ status: number }> => {
    const [method, path] = route.split(' ');
    const concrete = path
      .replace(':code', 'TEST-IMPLEMENTER')
      .replace(':year', '2031')
      .replace(/:(version|a|b)\b/g, '999')
      .replace(/:[a-zA-Z]+/g, randomUUID());
    if (path.endsWith('/stream')) {
      // a stream never ends by itself: its status is all that is needed
      if (!app.getHttpServer().listening) await app.listen(0, '127.0.0.1');
      const stream = new SseClient(
        `${await app.getUrl()}${concrete}`,
        role === 'anonymous' ? {} : { Authorization: `Bearer ${tokens[role]}` },
      );
      const status = await stream.opened;
      stream.close();
      return { status };
    }
    const req = api.http()[method.toLowerCase() as 'get' | 'post' | 'delete' | 'patch' | 'put'](concrete);
    if (role !== 'anonymous') req.set('Authorization', `Bearer ${tokens[role]}`);
    return method === 'GET' || method === 'DELETE' ? req : req.send({});
  };

  it.each(ROLES)('answers every route as the table says for %s', async (role) => {
    const wrong: string[] = [];
    for (const row of matrix) {
      const res = await call(row.route, role);
      const ok = row.allowed[role]
        ? ![401, 403].includes(res.status)
        : res.status === (role === 'anonymous' ? 401 : 403);
      if (!ok) wrong.push(`${row.route}: ${res.status} (${row.allowed[role] ? 'allowed' : 'refused'} in the table)`);
    }
    expect(wrong).toEqual([]);
    expect(matrix.length).toBeGreaterThanOrEqual(rows.length);
  });

  /** One check per row that restricts objects: another organisation's object is not reachable. */
  const objectChecks: Record<string, () => Promise<void>> = {
    'POST /api/v1/lists/entries': async () => {
      expect((await (await api.as(MARKET)).post('/api/v1/lists/entries', courtEntry(901))).status).toBe(403);
      const wuhu = await (await api.as(WUHU)).post('/api/v1/lists/entries', courtEntry(909)); // in 合肥
      expect([wuhu.status, wuhu.body.errors?.[0]?.field]).toEqual([403, 'region']);
    },
    'POST /api/v1/lists/entries/:id/transitions': async () => {
      const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(902));
      const res = await (
        await api.as(MARKET)
      ).post(`/api/v1/lists/entries/${entry.body.id}/transitions`, { action: 'remove', reason: 'x', at: '2026-11-20' });
      expect(res.status).toBe(403);
      const wuhu = await (
        await api.as(WUHU)
      ).post(`/api/v1/lists/entries/${entry.body.id}/transitions`, { action: 'remove', reason: 'x', at: '2026-11-20' });
      expect(wuhu.status).toBe(404); // 芜湖's office, a 合肥 entry
    },
    'POST /api/v1/lists/entries/batch': async () => {
      const res = await (await api.as(MARKET)).post('/api/v1/lists/entries/batch', { entries: [courtEntry(905)] });
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'listType' }] });
      const full = await (
        await api.as(MARKET)
      ).post('/api/v1/lists/entries/batch', { entries: [courtEntry(905)], mode: 'full', listType: 'BL-COURT-DEBTOR' });
      expect(full.status).toBe(403);
      const wuhu = await (await api.as(WUHU)).post('/api/v1/lists/entries/batch', { entries: [courtEntry(905)] });
      expect(wuhu.body.results[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'region' }] });
    },
    'PUT /api/v1/catalogue/draft': async () => {
      const draft = (await (await api.as('AH-CREDIT-OFFICE')).get('/api/v1/catalogue/draft')).body.document;
      const city = await api.tokenOf('AH-C340100');
      const res = await api
        .http()
        .put('/api/v1/catalogue/draft')
        .set('Authorization', `Bearer ${city}`)
        .send({ ...draft, measures: draft.measures.slice(1) });
      expect(res.status).toBe(403);
    },
    'PUT /api/v1/catalogue/draft/measures/:code': async () => {
      const draft = (await (await api.as('AH-CREDIT-OFFICE')).get('/api/v1/catalogue/draft')).body.document;
      const { code: _, ...body } = draft.measures[0];
      const city = await api.tokenOf('AH-C340100');
      expect(
        (
          await api
            .http()
            .put(`/api/v1/catalogue/draft/measures/${draft.measures[0].code}`)
            .set('Authorization', `Bearer ${city}`)
            .send({ ...body, text: 'x' })
        ).status,
      ).toBe(403);
    },
    'POST /api/v1/catalogue/draft/import': async () => {
      const draft = (await (await api.as('AH-CREDIT-OFFICE')).get('/api/v1/catalogue/draft')).body.document;
      const city = await api.tokenOf('AH-C340100');
      const file = Buffer.from(JSON.stringify({ ...draft, measures: draft.measures.slice(1) }));
      expect(
        (
          await api
            .http()
            .post('/api/v1/catalogue/draft/import')
            .set('Authorization', `Bearer ${city}`)
            .attach('file', file, 'c.json')
        ).status,
      ).toBe(403);
    },
    'DELETE /api/v1/catalogue/draft/measures/:code': async () => {
      const city = await api.tokenOf('AH-C340100');
      expect(
        (await api.http().delete('/api/v1/catalogue/draft/measures/M01-02').set('Authorization', `Bearer ${city}`))
          .status,
      ).toBe(403);
    },
    'POST /api/v1/catalogue/versions': async () => {
      const office = await api.tokenOf('AH-CREDIT-OFFICE');
      const draft = (await api.http().get('/api/v1/catalogue/draft').set('Authorization', `Bearer ${office}`)).body
        .document;
      const { code: _, ...body } = draft.measures[0];
      await api
        .http()
        .put(`/api/v1/catalogue/draft/measures/${draft.measures[0].code}`)
        .set('Authorization', `Bearer ${office}`)
        .send({ ...body, text: `${body.text}（修订）` });
      const city = await api.tokenOf('AH-C340100');
      expect(
        (await api.http().post('/api/v1/catalogue/versions').set('Authorization', `Bearer ${city}`).send({})).status,
      ).toBe(403);
      await api
        .http()
        .put(`/api/v1/catalogue/draft/measures/${draft.measures[0].code}`)
        .set('Authorization', `Bearer ${office}`)
        .send(body);
    },
    'PUT /api/v1/catalogue/calendar/:year': async () => {
      const city = await api.tokenOf('AH-C340100');
      const res = await api
        .http()
        .put('/api/v1/catalogue/calendar/2030')
        .set('Authorization', `Bearer ${city}`)
        .send({ days: [] });
      expect(res.status).toBe(403);
    },
    'POST /api/v1/lists/imports': async () => {
      const token = await api.tokenOf(MARKET);
      const res = await api
        .http()
        .post('/api/v1/lists/imports')
        .set('Authorization', `Bearer ${token}`)
        .attach('file', Buffer.from('名单类型\r\n', 'utf8'), 'x.csv')
        .field('mode', 'full')
        .field('listType', 'BL-COURT-DEBTOR');
      expect(res.status).toBe(403);
      // 芜湖's office: a 合肥 row is rejected with its reason
      const header =
        '名单类型,主体类别,主体名称,统一社会信用代码,列入事由,认定部门,认定级别,认定文号,列入日期,行政区划';
      const row = `BL-COURT-DEBTOR,法人,芜湖导入测试,${makeUscc(911)},拒不履行,芜湖中院,市级,芜湖-911,2026-11-01,340100`;
      const wuhu = await api
        .http()
        .post('/api/v1/lists/imports')
        .set('Authorization', `Bearer ${await api.tokenOf(WUHU)}`)
        .attach('file', Buffer.from(`${header}\r\n${row}\r\n`, 'utf8'), 'wuhu.csv');
      expect(wuhu.status).toBe(202);
      const job = await waitFor('the 芜湖 import done', async () => {
        const r = await (await api.as(WUHU)).get(`/api/v1/lists/imports/${wuhu.body.id}`);
        return r.body.status === 'done' ? r.body : undefined;
      });
      expect(job).toMatchObject({ total: 1, created: 0, rejected: 1 });
    },
    'GET /api/v1/lists/imports/:id': async () => {
      const id = await courtImport();
      expect((await (await api.as(COURT)).get(`/api/v1/lists/imports/${id}`)).status).toBe(200);
      expect((await (await api.as(MARKET)).get(`/api/v1/lists/imports/${id}`)).status).toBe(404);
      expect((await (await api.as(WUHU)).get(`/api/v1/lists/imports/${id}`)).status).toBe(404); // a city office: its own
      expect((await (await api.as('AH-CREDIT-OFFICE')).get(`/api/v1/lists/imports/${id}`)).status).toBe(200);
    },
    'GET /api/v1/lists/imports/:id/errors': async () => {
      const id = await courtImport();
      expect((await (await api.as(COURT)).get(`/api/v1/lists/imports/${id}/errors`)).status).toBe(200);
      expect((await (await api.as(MARKET)).get(`/api/v1/lists/imports/${id}/errors`)).status).toBe(404);
      expect((await (await api.as(WUHU)).get(`/api/v1/lists/imports/${id}/errors`)).status).toBe(404);
    },
    'GET /api/v1/lists/entries/:id/history': async () => {
      const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(906));
      expect((await (await api.as(COURT)).get(`/api/v1/lists/entries/${entry.body.id}/history`)).status).toBe(200);
      expect((await (await api.as(MARKET)).get(`/api/v1/lists/entries/${entry.body.id}/history`)).status).toBe(404);
      expect((await (await api.as(WUHU)).get(`/api/v1/lists/entries/${entry.body.id}/history`)).status).toBe(404);
    },
    'PATCH /api/v1/lists/entries/:id': async () => {
      const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(907));
      const token = await api.tokenOf(MARKET);
      const res = await api
        .http()
        .patch(`/api/v1/lists/entries/${entry.body.id}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ correctionReason: 'x', reason: 'y' });
      expect(res.status).toBe(403);
      const wuhu = await api
        .http()
        .patch(`/api/v1/lists/entries/${entry.body.id}`)
        .set('Authorization', `Bearer ${await api.tokenOf(WUHU)}`)
        .send({ correctionReason: 'x', reason: 'y' });
      expect(wuhu.status).toBe(404);
      expect((await (await api.as(COURT)).get(`/api/v1/lists/entries/${entry.body.id}`)).body.version).toBe(1);
    },
    'POST /api/v1/lists/entries/:id/statements': async () => {
      // a notice-first entry (统计领域严重失信企业) in 合肥, noticed until its department decides
      const entry = await (
        await api.as('AH-STATS')
      ).post('/api/v1/lists/entries', {
        ...courtEntry(930),
        listType: 'BL-STATISTICS',
        decidedBy: '安徽省统计局',
        documentNo: '皖统罚〔2026〕930号',
      });
      expect(entry.body.status).toBe('noticed');
      const state = (code: string) =>
        api
          .as(code)
          .then((c) => c.post(`/api/v1/lists/entries/${entry.body.id}/statements`, { text: '申辩', at: '2026-11-20' }));
      expect((await state(MARKET)).status).toBe(403);
      expect((await state(WUHU)).status).toBe(404);
      expect((await state(HEFEI)).status).toBe(201);
    },
    'GET /api/v1/lists/entries/:id/decision': async () => {
      const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(931));
      const read = async (code: string) =>
        (await (await api.as(code)).get(`/api/v1/lists/entries/${entry.body.id}/decision`)).status;
      expect(await read(COURT)).toBe(200);
      expect(await read(MARKET)).toBe(404);
      expect(await read(WUHU)).toBe(404);
      expect(await read(HEFEI)).toBe(200);
    },
    'GET /api/v1/lists/entries/:id': async () => {
      const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(903));
      expect((await (await api.as(COURT)).get(`/api/v1/lists/entries/${entry.body.id}`)).status).toBe(200);
      expect((await (await api.as(MARKET)).get(`/api/v1/lists/entries/${entry.body.id}`)).status).toBe(404);
      expect((await (await api.as(WUHU)).get(`/api/v1/lists/entries/${entry.body.id}`)).status).toBe(404);
      expect((await (await api.as(HEFEI)).get(`/api/v1/lists/entries/${entry.body.id}`)).status).toBe(200);
    },
    'GET /api/v1/lists/entries': async () => {
      const entry = await hefeiEntry();
      const found = async (code: string) =>
        (await (await api.as(code)).get(`/api/v1/lists/entries?q=${makeUscc(910)}`)).body.items.map(
          (e: { id: string }) => e.id,
        );
      expect(await found('AH-CREDIT-OFFICE')).toEqual([entry]);
      expect(await found(HEFEI)).toEqual([entry]);
      expect(await found(WUHU)).toEqual([]);
    },
    'POST /api/v1/lists/entries/:id/objections': async () => {
      const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(912));
      const res = await (
        await api.as(WUHU)
      ).post(`/api/v1/lists/entries/${entry.body.id}/objections`, { statement: '异议', contact: 'x' });
      expect(res.status).toBe(404);
      // the portal: only on the entry its subject and document number name (a wrong document number: 404)
      const portal = await api
        .http()
        .post(`/api/v1/lists/entries/${entry.body.id}/objections`)
        .set('Authorization', `Bearer ${tokens.portal}`)
        .send({
          statement: '异议',
          contact: 'x',
          subject: { uscc: makeUscc(912) },
          documentNo: '（2026）皖01执9999号',
        });
      expect(portal.status).toBe(404);
      expect((await (await api.as(COURT)).get(`/api/v1/lists/entries/${entry.body.id}`)).body.disputed).toBe(false);
    },
    'GET /api/v1/lists/objections/:id': async () => {
      const id = await hefeiObjection();
      expect((await (await api.as(HEFEI)).get(`/api/v1/lists/objections/${id}`)).status).toBe(200);
      expect((await (await api.as(WUHU)).get(`/api/v1/lists/objections/${id}`)).status).toBe(404);
      expect((await asPortal().get(`/api/v1/lists/objections/${id}`)).status).toBe(404); // not filed by it
    },
    'POST /api/v1/lists/entries/:id/repair-applications': async () => {
      const { entryId } = await hefeiRepair();
      const wuhu = await (await api.as(WUHU)).post(`/api/v1/lists/entries/${entryId}/repair-applications`, repairBody);
      expect(wuhu.status).toBe(404);
      const portal = await asPortal()
        .post(`/api/v1/lists/entries/${entryId}/repair-applications`)
        .send({ ...repairBody, subject: { uscc: makeUscc(918) }, documentNo: '皖统罚〔2025〕9999号' });
      expect(portal.status).toBe(404);
    },
    'GET /api/v1/lists/repair-applications': async () => {
      const { id } = await hefeiRepair();
      const queue = async (code: string) =>
        (await (await api.as(code)).get('/api/v1/lists/repair-applications')).body.items.map(
          (a: { id: string }) => a.id,
        );
      expect(await queue('AH-STATS')).toContain(id);
      expect(await queue(HEFEI)).toContain(id);
      expect(await queue(WUHU)).not.toContain(id);
      expect(await queue(MARKET)).not.toContain(id);
    },
    'GET /api/v1/lists/repair-applications/:id': async () => {
      const { id } = await hefeiRepair();
      for (const code of [WUHU, MARKET])
        expect([code, (await (await api.as(code)).get(`/api/v1/lists/repair-applications/${id}`)).status]).toEqual([
          code,
          404,
        ]);
      expect((await asPortal().get(`/api/v1/lists/repair-applications/${id}`)).status).toBe(404); // not filed by it
      expect((await (await api.as('AH-STATS')).get(`/api/v1/lists/repair-applications/${id}`)).status).toBe(200);
    },
    'POST /api/v1/lists/repair-applications/:id/decision': async () => {
      const { id } = await hefeiRepair();
      for (const code of [WUHU, MARKET]) {
        const res = await (
          await api.as(code)
        ).post(`/api/v1/lists/repair-applications/${id}/decision`, { approved: true, reason: 'x' });
        expect([code, res.status]).toEqual([code, 404]);
      }
      expect((await (await api.as('AH-STATS')).get(`/api/v1/lists/repair-applications/${id}`)).body.status).toBe(
        'pending',
      );
    },
    'GET /api/v1/lists/repair-applications/:id/document': async () => {
      const { id } = await hefeiRepair();
      for (const code of [WUHU, MARKET])
        expect([
          code,
          (await (await api.as(code)).get(`/api/v1/lists/repair-applications/${id}/document`)).status,
        ]).toEqual([code, 404]);
    },
    'POST /api/v1/lists/portal/lookup': async () => {
      await hefeiRepair();
      const lookup = (documentNo: string) =>
        asPortal()
          .post('/api/v1/lists/portal/lookup')
          .send({ subject: { uscc: makeUscc(918) }, documentNo });
      expect((await lookup('皖统罚〔2025〕918号')).status).toBe(200);
      expect((await lookup('皖统罚〔2025〕9999号')).status).toBe(404);
    },
    'POST /api/v1/lists/objections/:id/decision': async () => {
      const id = await hefeiObjection();
      const res = await (
        await api.as(WUHU)
      ).post(`/api/v1/lists/objections/${id}/decision`, { upheld: true, reason: '芜湖移出' });
      expect(res.status).toBe(404);
      const queue = await (await api.as('AH-CREDIT-OFFICE')).get('/api/v1/lists/objections?status=pending');
      expect(queue.body.items.map((o: { id: string }) => o.id)).toContain(id);
    },
    'GET /api/v1/lists/objections': async () => {
      const id = await hefeiObjection();
      const queue = async (code: string) =>
        (await (await api.as(code)).get('/api/v1/lists/objections?status=pending')).body.items.map(
          (o: { id: string }) => o.id,
        );
      expect(await queue(HEFEI)).toContain(id);
      expect(await queue(WUHU)).not.toContain(id);
    },
    'GET /api/v1/subjects/:key/credit': async () => {
      await hefeiEntry();
      expect((await (await api.as('AH-CREDIT-OFFICE')).get(`/api/v1/subjects/${makeUscc(910)}/credit`)).status).toBe(
        200,
      );
      expect((await (await api.as(WUHU)).get(`/api/v1/subjects/${makeUscc(910)}/credit`)).status).toBe(404);
    },
    'GET /api/v1/admin/audit': async () => {
      const entry = await hefeiEntry();
      const records = async (code: string) =>
        (await (await api.as(code)).get(`/api/v1/admin/audit?objectId=${entry}`)).body.items as {
          organization: string;
        }[];
      await waitFor('the publication’s audit record', async () => (await records('AH-CREDIT-OFFICE')).length > 0);
      await waitFor('measures knows the entry', async () => (await records(HEFEI)).length > 0);
      expect((await records(WUHU)).filter((r) => r.organization !== WUHU)).toEqual([]);
    },
    'DELETE /api/v1/admin/organizations/:code/tokens/:id': async () => {
      const issued = await api
        .http()
        .post(`/api/v1/admin/organizations/${RAILWAY}/tokens`)
        .set('Authorization', `Bearer ${env.JRP_ADMIN_TOKEN}`)
        .send({});
      const res = await api
        .http()
        .delete(`/api/v1/admin/organizations/${MARKET}/tokens/${issued.body.id}`)
        .set('Authorization', `Bearer ${env.JRP_ADMIN_TOKEN}`);
      expect(res.status).toBe(404);
    },
    'GET /api/v1/tasks/feed': async () => {
      const task = await railwayTask();
      const feed = await api.http().get('/api/v1/tasks/feed').set('Authorization', `Bearer ${tokens.implementer}`);
      expect(feed.body.items.map((i: { task: { id: string } }) => i.task.id)).not.toContain(task.id);
    },
    'GET /api/v1/tasks/:id': async () => {
      const task = await railwayTask();
      expect(
        (await api.http().get(`/api/v1/tasks/${task.id}`).set('Authorization', `Bearer ${tokens.implementer}`)).status,
      ).toBe(404);
      expect((await (await api.as('AH-C340200')).get(`/api/v1/tasks/${task.id}`)).status).toBe(404); // 芜湖 office, a 合肥 entry
      expect((await (await api.as('AH-C340100')).get(`/api/v1/tasks/${task.id}`)).status).toBe(200);
    },
    'GET /api/v1/tasks/stream': async () => {
      const task = await railwayTask();
      if (!app.getHttpServer().listening) await app.listen(0, '127.0.0.1');
      const stream = new SseClient(`${await app.getUrl()}/api/v1/tasks/stream`, {
        Authorization: `Bearer ${tokens.implementer}`,
      });
      expect(await stream.opened).toBe(200);
      const own = new SseClient(`${await app.getUrl()}/api/v1/tasks/stream`, {
        Authorization: `Bearer ${await api.tokenOf(RAILWAY)}`,
      });
      await waitFor('the railway task streamed', () =>
        Promise.resolve(own.events.some((e) => JSON.parse(e.data).task.id === task.id) || undefined),
      );
      own.close();
      stream.close();
      expect(stream.events.filter((e) => JSON.parse(e.data).task.id === task.id)).toEqual([]);
    },
    'GET /api/v1/tasks': async () => {
      const task = await railwayTask();
      const others = await api
        .http()
        .get('/api/v1/tasks?limit=500')
        .set('Authorization', `Bearer ${tokens.implementer}`);
      expect(others.body.items.map((t: { id: string }) => t.id)).not.toContain(task.id);
      expect(
        (
          await api
            .http()
            .get(`/api/v1/tasks?organization=${RAILWAY}`)
            .set('Authorization', `Bearer ${tokens.implementer}`)
        ).status,
      ).toBe(403);
      const wuhu = await (await api.as('AH-C340200')).get(`/api/v1/tasks?organization=${RAILWAY}&limit=500`);
      expect(wuhu.body.items.map((t: { id: string }) => t.id)).not.toContain(task.id);
    },
    'POST /api/v1/tasks/:id/ack': async () => {
      const task = await railwayTask();
      expect(
        (await api.http().post(`/api/v1/tasks/${task.id}/ack`).set('Authorization', `Bearer ${tokens.implementer}`))
          .status,
      ).toBe(404);
      expect((await (await api.as(RAILWAY)).get(`/api/v1/tasks/${task.id}`)).body.status).toBe('open');
    },
    'POST /api/v1/tasks/:id/return': async () => {
      const task = await railwayTask();
      const res = await api
        .http()
        .post(`/api/v1/tasks/${task.id}/return`)
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send({ reason: '不是我们的' });
      expect(res.status).toBe(404);
      expect((await (await api.as(RAILWAY)).get(`/api/v1/tasks/${task.id}`)).body.status).toBe('open');
    },
    'POST /api/v1/tasks/:id/lifted': async () => {
      const { taskId } = await removedHefeiTask();
      const res = await api
        .http()
        .post(`/api/v1/tasks/${taskId}/lifted`)
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send({ liftedAt: '2026-11-21' });
      expect(res.status).toBe(404);
      const own = (await (await api.as(RAILWAY)).get(`/api/v1/tasks/${taskId}`)).body;
      expect([own.status, own.lifting]).toEqual(['revoked', null]);
    },
    'POST /api/v1/tasks/:id/reassignment': async () => {
      // a task of its own: returning it changes the feed the other checks look at
      const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(908));
      const task = await waitFor(
        'railway task',
        async () =>
          (await (await api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000')).body.items.find(
            (i: { task: { entryId: string } }) => i.task.entryId === entry.body.id,
          )?.task,
      );
      await (await api.as(RAILWAY)).post(`/api/v1/tasks/${task.id}/return`, { reason: '矩阵测试' }).expect(200);
      const wuhu = await (
        await api.as('AH-C340200')
      ).post(`/api/v1/tasks/${task.id}/reassignment`, { organization: MARKET });
      expect(wuhu.status).toBe(404);
      const back = await (
        await api.as('AH-C340100')
      ).post(`/api/v1/tasks/${task.id}/reassignment`, { organization: RAILWAY });
      expect(back.status).toBe(200);
    },
    'POST /api/v1/feedback': async () => {
      const task = await railwayTask();
      await waitFor(
        'feedback knows the task',
        async () =>
          (
            await (
              await api.as(RAILWAY)
            ).post('/api/v1/feedback', { taskId: task.id, items: [{ measureId: 'NONE', outcome: 'not-applicable' }] })
          ).status === 400,
      );
      const res = await api
        .http()
        .post('/api/v1/feedback')
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send({ taskId: task.id, items: [{ measureId: 'M01-01', outcome: 'not-applicable' }] });
      expect(res.status).toBe(404);
    },
    'GET /api/v1/feedback/:id': async () => {
      const feedback = await railwayFeedback();
      expect((await (await api.as(RAILWAY)).get(`/api/v1/feedback/${feedback}`)).status).toBe(200);
      expect(
        (await api.http().get(`/api/v1/feedback/${feedback}`).set('Authorization', `Bearer ${tokens.implementer}`))
          .status,
      ).toBe(404);
      expect((await (await api.as('AH-C340100')).get(`/api/v1/feedback/${feedback}`)).status).toBe(200); // the entry is in Hefei
      expect((await (await api.as('AH-C340200')).get(`/api/v1/feedback/${feedback}`)).status).toBe(404);
    },
    'POST /api/v1/feedback/:id/corrections': async () => {
      const feedback = await railwayFeedback();
      const res = await api
        .http()
        .post(`/api/v1/feedback/${feedback}/corrections`)
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send({ reason: 'x', items: [{ measureId: 'M01-01', outcome: 'not-applicable' }] });
      expect(res.status).toBe(404);
    },
    'POST /api/v1/feedback/:id/cancellation': async () => {
      const feedback = await railwayFeedback();
      const res = await api
        .http()
        .post(`/api/v1/feedback/${feedback}/cancellation`)
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send({ reason: 'x' });
      expect(res.status).toBe(404);
    },
    'POST /api/v1/feedback/cases': async () => {
      const task = await railwayTask();
      await railwayFeedback();
      const res = await api
        .http()
        .post('/api/v1/feedback/cases')
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send(caseOf(task.id));
      expect(res.status).toBe(404);
    },
    'GET /api/v1/feedback/cases': async () => {
      const id = await railwayCase();
      const seen = async (token: string) =>
        (await api.http().get('/api/v1/feedback/cases').set('Authorization', `Bearer ${token}`)).body.items.map(
          (c: { id: string }) => c.id,
        );
      expect(await seen(await api.tokenOf(RAILWAY))).toContain(id);
      expect(await seen(tokens.implementer!)).not.toContain(id);
      expect(await seen(await api.tokenOf('AH-C340100'))).toContain(id);
      expect(await seen(await api.tokenOf('AH-C340200'))).not.toContain(id);
    },
    'POST /api/v1/feedback/cases/:id/publication': async () => {
      const task = await railwayTask();
      await railwayFeedback();
      const draft = await (
        await api.as(RAILWAY)
      ).post('/api/v1/feedback/cases', { ...caseOf(task.id), publishable: true });
      expect(draft.status).toBe(201);
      const publication = `/api/v1/feedback/cases/${draft.body.id}/publication`;
      expect((await (await api.as('AH-C340200')).post(publication)).status).toBe(404); // 芜湖 office, a 合肥 case
      const seen = await (await api.as(RAILWAY)).get('/api/v1/feedback/cases?status=draft');
      expect(seen.body.items.map((c: { id: string }) => c.id)).toContain(draft.body.id); // still a draft
      expect((await (await api.as('AH-C340100')).post(publication)).status).toBe(200);
    },
    ...Object.fromEntries(
      ['completion?groupBy=region', 'overdue', 'cases', 'assessment'].map((report) => [
        `GET /api/v1/reports/${report.split('?')[0]}`,
        async () => {
          await railwayCase();
          const city = await api.tokenOf('AH-C340200');
          const res = await api.http().get(`/api/v1/reports/${report}`).set('Authorization', `Bearer ${city}`);
          expect(res.status).toBe(200);
          for (const row of res.body.items as Record<string, string>[]) expect(row.region ?? row.city).toBe('340200');
          const province = await api
            .http()
            .get(`/api/v1/reports/${report}`)
            .set('Authorization', `Bearer ${await api.tokenOf('AH-CREDIT-OFFICE')}`);
          if (report !== 'overdue')
            expect(province.body.items.some((r: Record<string, string>) => (r.region ?? r.city) === '340100')).toBe(
              true,
            );
        },
      ]),
    ),
    'GET /api/v1/reports/lifting': async () => {
      const { entryId } = await removedHefeiTask();
      const office = await api.as('AH-CREDIT-OFFICE');
      await waitFor('the removal in the lifting report', async () =>
        (await office.get('/api/v1/reports/lifting')).body.items.some(
          (r: { entryId: string }) => r.entryId === entryId,
        ),
      );
      const wuhu = await (await api.as('AH-C340200')).get('/api/v1/reports/lifting');
      expect(wuhu.status).toBe(200);
      expect(wuhu.body.items.map((r: { entryId: string }) => r.entryId)).not.toContain(entryId);
      for (const row of wuhu.body.items as Record<string, string>[]) expect(row.city).toBe('340200');
      const hefei = await (await api.as('AH-C340100')).get('/api/v1/reports/lifting');
      expect(hefei.body.items.map((r: { entryId: string }) => r.entryId)).toContain(entryId);
    },
    'POST /api/v1/checks': async () => {
      const task = await railwayTask(); // entry 904's subject
      const res = await api
        .http()
        .post('/api/v1/checks')
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send({ subject: { uscc: makeUscc(904) }, businessType: '行政许可', reference: 'authz' });
      expect(res.body).toMatchObject({ listed: true, measures: [], taskIds: [] });
      const feed = await (await api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000');
      expect(
        feed.body.items
          .filter((i: { type: string; task: { id: string } }) => i.task.id === task.id)
          .map((i: { type: string }) => i.type),
      ).toEqual(['dispatched']);
    },
    'POST /api/v1/checks/batch': async () => {
      const task = await railwayTask(); // entry 904's subject
      const res = await api
        .http()
        .post('/api/v1/checks/batch')
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send({ subjects: [{ uscc: makeUscc(904) }], businessType: '行政许可', reference: 'authz-batch' });
      expect(res.status).toBe(200);
      expect(res.body.results).toMatchObject([{ row: 1, checked: true, listed: true, measures: [], taskIds: [] }]);
      const feed = await (await api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000');
      expect(
        feed.body.items
          .filter((i: { type: string; task: { id: string } }) => i.task.id === task.id)
          .map((i: { type: string }) => i.type),
      ).toEqual(['dispatched']);
    },
    'GET /api/v1/subscriptions': async () => {
      const id = await railwaySubscription();
      const other = await api.http().get('/api/v1/subscriptions').set('Authorization', `Bearer ${tokens.implementer}`);
      expect(other.status).toBe(200);
      expect(other.body.items.map((s: { id: string }) => s.id)).not.toContain(id);
    },
    'GET /api/v1/subscriptions/:id': async () => {
      const id = await railwaySubscription();
      expect((await (await api.as(RAILWAY)).get(`/api/v1/subscriptions/${id}`)).status).toBe(200);
      expect(
        (await api.http().get(`/api/v1/subscriptions/${id}`).set('Authorization', `Bearer ${tokens.implementer}`))
          .status,
      ).toBe(404);
    },
    'DELETE /api/v1/subscriptions/:id': async () => {
      const id = await railwaySubscription();
      expect(
        (await api.http().delete(`/api/v1/subscriptions/${id}`).set('Authorization', `Bearer ${tokens.implementer}`))
          .status,
      ).toBe(404);
      expect((await (await api.as(RAILWAY)).get(`/api/v1/subscriptions/${id}`)).status).toBe(200);
    },
    'POST /api/v1/subscriptions/:id/secret': async () => {
      const id = await railwaySubscription();
      expect(
        (
          await api
            .http()
            .post(`/api/v1/subscriptions/${id}/secret`)
            .set('Authorization', `Bearer ${tokens.implementer}`)
        ).status,
      ).toBe(404);
      expect(
        (await (await api.as(RAILWAY)).get(`/api/v1/subscriptions/${id}`)).body.previousSecretExpiresAt,
      ).toBeNull();
    },
    'POST /api/v1/subscriptions/:id/enable': async () => {
      const id = await railwaySubscription();
      expect(
        (
          await api
            .http()
            .post(`/api/v1/subscriptions/${id}/enable`)
            .set('Authorization', `Bearer ${tokens.implementer}`)
        ).status,
      ).toBe(404);
    },
    'GET /api/v1/subscriptions/:id/deliveries': async () => {
      const id = await railwaySubscription();
      expect((await (await api.as(RAILWAY)).get(`/api/v1/subscriptions/${id}/deliveries`)).status).toBe(200);
      expect(
        (
          await api
            .http()
            .get(`/api/v1/subscriptions/${id}/deliveries`)
            .set('Authorization', `Bearer ${tokens.implementer}`)
        ).status,
      ).toBe(404);
    },
    'POST /api/v1/subscriptions/:id/replay': async () => {
      const id = await railwaySubscription();
      const res = await api
        .http()
        .post(`/api/v1/subscriptions/${id}/replay`)
        .set('Authorization', `Bearer ${tokens.implementer}`)
        .send({ since: '2026-01-01T00:00:00Z' });
      expect(res.status).toBe(404);
    },
  };

  let hefeiEntryId: string | undefined;
  /** A 合肥 entry of the court's (for the city-scope checks: 芜湖's office does not reach it). */
  async function hefeiEntry(): Promise<string> {
    if (hefeiEntryId) return hefeiEntryId;
    const res = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(910));
    expect(res.status).toBe(201);
    hefeiEntryId = res.body.id as string;
    return hefeiEntryId;
  }

  const asPortal = () => ({
    get: (path: string) => api.http().get(path).set('Authorization', `Bearer ${tokens.portal}`),
    post: (path: string) => api.http().post(path).set('Authorization', `Bearer ${tokens.portal}`),
  });
  const repairBody = { evidence: '已纠正', commitment: '信用承诺', at: '2026-11-20' };

  let hefeiRepairApplication: { entryId: string; id: string } | undefined;
  /** A pending repair application on a 合肥 city-level entry of 统计 (repaired on application), filed by the provincial office. */
  async function hefeiRepair(): Promise<{ entryId: string; id: string }> {
    if (hefeiRepairApplication) return hefeiRepairApplication;
    const entry = await (
      await api.as('AH-STATS')
    ).post('/api/v1/lists/entries', {
      listType: 'BL-STATISTICS',
      subject: { kind: 'legal', name: '安徽统计测试有限公司918', uscc: makeUscc(918) },
      reason: '统计造假',
      decidedBy: '合肥市统计局',
      identificationLevel: 'city',
      documentNo: '皖统罚〔2025〕918号',
      listedAt: '2025-11-14', // serious: repairable from 2026-11-16
      region: '340104',
      notice: { servedOn: '2025-10-20', documentNo: '皖统告〔2025〕918号' }, // served outside jrp: listed directly
    });
    expect(entry.status).toBe(201);
    const res = await (
      await api.as('AH-CREDIT-OFFICE')
    ).post(`/api/v1/lists/entries/${entry.body.id}/repair-applications`, repairBody);
    expect(res.status).toBe(201);
    hefeiRepairApplication = { entryId: entry.body.id as string, id: res.body.id as string };
    return hefeiRepairApplication;
  }

  let hefeiObjectionId: string | undefined;
  /** A pending objection on a 合肥 entry, filed by the provincial office. */
  async function hefeiObjection(): Promise<string> {
    if (hefeiObjectionId) return hefeiObjectionId;
    const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(913));
    const res = await (
      await api.as('AH-CREDIT-OFFICE')
    ).post(`/api/v1/lists/entries/${entry.body.id}/objections`, { statement: '异议', contact: 'x' });
    expect(res.status).toBe(201);
    hefeiObjectionId = res.body.id as string;
    return hefeiObjectionId;
  }

  let removedHefei: { entryId: string; taskId: string } | undefined;
  /** A removed 合肥 entry and the railway's task for it, revoked (lifting not yet confirmed). */
  async function removedHefeiTask(): Promise<{ entryId: string; taskId: string }> {
    if (removedHefei) return removedHefei;
    const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(916));
    expect(entry.status).toBe(201);
    const railway = await api.as(RAILWAY);
    const task = await waitFor('railway task', async () => {
      const feed = await railway.get('/api/v1/tasks/feed?limit=1000');
      return feed.body.items.find((i: { task: { entryId: string } }) => i.task.entryId === entry.body.id)?.task;
    });
    const removed = await (
      await api.as(COURT)
    ).post(`/api/v1/lists/entries/${entry.body.id}/transitions`, {
      action: 'remove',
      reason: '已履行',
      at: '2026-11-20',
    });
    expect(removed.status).toBe(200);
    await waitFor(
      'the railway task revoked',
      async () => (await railway.get(`/api/v1/tasks/${task.id}`)).body.status === 'revoked',
    );
    removedHefei = { entryId: entry.body.id as string, taskId: task.id as string };
    return removedHefei;
  }

  let railwaySubscriptionId: string | undefined;
  /** A subscription of the railway's, to a closed port on this machine (allowed for the railway only). */
  async function railwaySubscription(): Promise<string> {
    if (railwaySubscriptionId) return railwaySubscriptionId;
    const allowed = await api
      .http()
      .put(`/api/v1/admin/organizations/${RAILWAY}/webhook-targets`)
      .set('Authorization', `Bearer ${env.JRP_ADMIN_TOKEN}`)
      .send({ targets: ['127.0.0.1'] });
    expect(allowed.status).toBe(200);
    const res = await (
      await api.as(RAILWAY)
    ).post('/api/v1/subscriptions', { url: 'http://127.0.0.1:9/jrp-matrix', types: ['revoked'] });
    expect(res.status).toBe(201);
    railwaySubscriptionId = res.body.id as string;
    return railwaySubscriptionId;
  }

  let courtImportId: string | undefined;
  async function courtImport(): Promise<string> {
    if (courtImportId) return courtImportId;
    const token = await api.tokenOf(COURT);
    const res = await api
      .http()
      .post('/api/v1/lists/imports')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', Buffer.from('名单类型\r\n', 'utf8'), 'x.csv');
    expect(res.status).toBe(202);
    courtImportId = res.body.id as string;
    return courtImportId;
  }

  const caseOf = (taskId: string) => ({
    taskId,
    measureIds: ['M01-01'],
    title: '某公司被限制乘坐高铁',
    occurredAt: '2026-11-05',
    region: '340100',
    description: '限制期间主动履行',
    effect: '履行完毕',
    publishable: false,
  });

  let railwayFeedbackId: string | undefined;
  async function railwayFeedback(): Promise<string> {
    if (railwayFeedbackId) return railwayFeedbackId;
    const task = await railwayTask();
    const railway = await api.as(RAILWAY);
    const res = await waitFor('feedback on the railway task', async () => {
      const r = await railway.post('/api/v1/feedback', {
        taskId: task.id,
        items: [{ measureId: 'M01-01', outcome: 'no-business' }],
      });
      return r.status === 201 ? r : undefined;
    });
    railwayFeedbackId = res.body.id as string;
    return railwayFeedbackId;
  }

  let railwayCaseId: string | undefined;
  async function railwayCase(): Promise<string> {
    if (railwayCaseId) return railwayCaseId;
    const task = await railwayTask();
    await railwayFeedback();
    const res = await (await api.as(RAILWAY)).post('/api/v1/feedback/cases', caseOf(task.id));
    expect(res.status).toBe(201);
    railwayCaseId = res.body.id as string;
    return railwayCaseId;
  }

  let railwayTaskCache: { id: string } | undefined;
  async function railwayTask(): Promise<{ id: string }> {
    if (railwayTaskCache) return railwayTaskCache;
    const entry = await (await api.as(COURT)).post('/api/v1/lists/entries', courtEntry(904));
    const railway = await api.as(RAILWAY);
    railwayTaskCache = await waitFor('railway task', async () => {
      const feed = await railway.get('/api/v1/tasks/feed?limit=1000');
      return feed.body.items.find((i: { task: { entryId: string } }) => i.task.entryId === entry.body.id)?.task;
    });
    return railwayTaskCache!;
  }

  it('checks every row that restricts objects', () => {
    const restricted = rows
      .filter((r) => r.objects)
      .map((r) => r.route)
      .sort();
    expect(Object.keys(objectChecks).sort()).toEqual(restricted);
  });

  it.each(Object.keys(objectChecks))('%s: another organisation’s object is out of reach', async (route) => {
    await objectChecks[route]();
  });
});
