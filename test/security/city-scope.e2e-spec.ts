import { makeIdNumber, makeUscc, rawBody, waitFor } from '@jrp/testing';
import { useStandalone } from '../support/standalone';
import { COURT, courtEntry } from '../scenarios/loop.scenario';

const WUHU = 'AH-C340200'; // 芜湖市信用办: a city office
const HEFEI = 'AH-C340100'; // 合肥市信用办
const PROVINCE = 'AH-CREDIT-OFFICE'; // 省信用办: the whole province

type Entry = { id: string; version: number; status: string };

/**
 * City scope (issue 17): a city office acts only on the list entries of its city, and decides only
 * city-level ones. The matrix of every entry route for 芜湖's office on 合肥 entries (404, or 403 with a
 * field error where it publishes out of its reach), with nothing changed; the same routes on its own
 * entries (allowed), on a provincial entry of its city (read yes, change 403); and the provincial
 * office, which reaches both cities.
 */
describe('city scope', () => {
  const suite = useStandalone('cityscope');
  const { lists, measures } = suite;

  const client = (code: string) => suite.api.as(code);
  const patch = async (code: string, path: string, body: object) =>
    suite.api
      .http()
      .patch(path)
      .set('Authorization', `Bearer ${await suite.api.tokenOf(code)}`)
      .send(body);
  const publish = async (code: string, body: object): Promise<Entry> => {
    const res = await (await client(code)).post('/api/v1/lists/entries', body);
    expect(res.status).toBe(201);
    return res.body as Entry;
  };
  /** What a refused call must leave as it was: the entry's row and its history. */
  const stateOf = async (id: string) => ({
    entry: (
      await lists.query<{ version: number } & Record<string, unknown>>(
        `SELECT version, status, disputed, region, identification_level, reason FROM list_entries WHERE id = $1`,
        [id],
      )
    )[0],
    history: await lists.count(`SELECT * FROM list_entry_history WHERE entry_id = $1`, [id]),
    objections: await lists.count(`SELECT * FROM objections WHERE entry_id = $1`, [id]),
  });
  const natural = (n: number, extra: object = {}) => ({
    ...courtEntry(n),
    subject: { kind: 'natural', name: `测试自然人${n}`, idNumber: makeIdNumber(n) },
    ...extra,
  });

  // 合肥: one provincial entry (the court's), one city-level entry (合肥's office): the region decides, not the level
  let hefeiProvincial: Entry;
  let hefeiCity: Entry;
  // 芜湖: its own city-level entry, and a provincial court entry in a district of 芜湖
  let wuhuCity: Entry;
  let wuhuProvincial: Entry;
  // a person listed in 合肥 only, and a company listed in both cities
  const hefeiPerson = makeIdNumber(7101);
  const bothCompany = makeUscc(7102);

  beforeAll(async () => {
    hefeiProvincial = await publish(COURT, natural(7101));
    hefeiCity = await publish(HEFEI, courtEntry(7103, { identificationLevel: 'city' }));
    wuhuCity = await publish(WUHU, courtEntry(7104, { region: '340202', decidedBy: '芜湖市中级人民法院' }));
    wuhuProvincial = await publish(COURT, courtEntry(7105, { region: '340207' }));
    await publish(COURT, courtEntry(7102, { documentNo: '（2026）皖01执7102号' }));
    await publish(WUHU, courtEntry(7102, { documentNo: '（2026）皖02执7102号', region: '340200' }));
    const levels = await lists.query<{ id: string; level: string }>(
      `SELECT id, identification_level AS level FROM list_entries WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [[hefeiProvincial.id, hefeiCity.id, wuhuCity.id, wuhuProvincial.id]],
    );
    expect(levels.map((l) => l.level)).toEqual(['provincial', 'city', 'city', 'provincial']);
  });

  describe('芜湖’s office on 合肥 entries: out of reach, nothing changed', () => {
    it.each([
      ['a 合肥 region', 7201, { region: '340100' }, 'region'],
      ['a 合肥 county (肥西县)', 7202, { region: '340123' }, 'region'],
      ['the province itself', 7203, { region: '340000' }, 'region'],
      [
        'a provincial level in 芜湖',
        7204,
        { region: '340200', identificationLevel: 'provincial' },
        'identificationLevel',
      ],
      ['a national level in 芜湖', 7205, { region: '340200', identificationLevel: 'national' }, 'identificationLevel'],
    ])('publishing in %s: 403 with a field error, nothing stored', async (_case, n, extra, field) => {
      const body = courtEntry(n, extra);
      const res = await (await client(WUHU)).post('/api/v1/lists/entries', body);
      expect(res.status).toBe(403);
      expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
      expect(await lists.count(`SELECT * FROM list_entries WHERE document_no = $1`, [body.documentNo])).toBe(0);
    });

    it('publishing a 合肥 entry again (its identity) with a 芜湖 region: 404, the entry stays in 合肥', async () => {
      const before = await stateOf(hefeiCity.id);
      const res = await (
        await client(WUHU)
      ).post('/api/v1/lists/entries', courtEntry(7103, { region: '340200', reason: '改到芜湖' }));
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(hefeiCity.id);
      expect(await stateOf(hefeiCity.id)).toEqual(before);
    });

    it.each([
      ['remove', { action: 'remove', reason: '芜湖移出', at: '2026-11-20' }],
      ['move-to-watch', { action: 'move-to-watch', reason: '芜湖', at: '2026-11-20' }],
    ])('a transition (%s): 404', async (_action, body) => {
      for (const entry of [hefeiProvincial, hefeiCity]) {
        const before = await stateOf(entry.id);
        const res = await (await client(WUHU)).post(`/api/v1/lists/entries/${entry.id}/transitions`, body);
        expect(res.status).toBe(404);
        expect(await stateOf(entry.id)).toEqual(before);
      }
    });

    it('a correction: 404', async () => {
      for (const entry of [hefeiProvincial, hefeiCity]) {
        const before = await stateOf(entry.id);
        const res = await patch(WUHU, `/api/v1/lists/entries/${entry.id}`, {
          correctionReason: '芜湖更正',
          reason: '改',
        });
        expect(res.status).toBe(404);
        expect(await stateOf(entry.id)).toEqual(before);
      }
    });

    it('filing an objection: 404, the entry not disputed', async () => {
      const before = await stateOf(hefeiCity.id);
      const res = await (
        await client(WUHU)
      ).post(`/api/v1/lists/entries/${hefeiCity.id}/objections`, { statement: '异议', contact: 'x' });
      expect(res.status).toBe(404);
      expect(await stateOf(hefeiCity.id)).toEqual(before);
    });

    it('an objection on a 合肥 entry: not in 芜湖’s queue, its decision 404, still pending', async () => {
      const filed = await (
        await client(PROVINCE)
      ).post(`/api/v1/lists/entries/${hefeiProvincial.id}/objections`, { statement: '已履行', contact: 'x' });
      expect(filed.status).toBe(201);
      const ids = async (code: string) =>
        (await (await client(code)).get('/api/v1/lists/objections?status=pending')).body.items.map(
          (o: { id: string }) => o.id,
        );
      expect(await ids(PROVINCE)).toContain(filed.body.id);
      expect(await ids(HEFEI)).toContain(filed.body.id);
      expect(await ids(WUHU)).not.toContain(filed.body.id);
      const before = await stateOf(hefeiProvincial.id);
      for (const body of [
        { upheld: true, reason: '芜湖决定' },
        { upheld: false, reason: '芜湖决定' },
        { upheld: true, reason: '芜湖决定', corrections: { region: '340200' } },
      ]) {
        const res = await (await client(WUHU)).post(`/api/v1/lists/objections/${filed.body.id}/decision`, body);
        expect(res.status).toBe(404);
      }
      expect(await stateOf(hefeiProvincial.id)).toEqual(before);
      const [objection] = await lists.query<{ status: string }>(`SELECT status FROM objections WHERE id = $1`, [
        filed.body.id,
      ]);
      expect(objection.status).toBe('pending');
      // the provincial office decides it
      const decided = await (
        await client(PROVINCE)
      ).post(`/api/v1/lists/objections/${filed.body.id}/decision`, { upheld: false, reason: '异议不成立' });
      expect(decided.status).toBe(200);
    });

    it('reading an entry and its history: 404', async () => {
      const wuhu = await client(WUHU);
      for (const entry of [hefeiProvincial, hefeiCity]) {
        expect((await wuhu.get(`/api/v1/lists/entries/${entry.id}`)).status).toBe(404);
        expect((await wuhu.get(`/api/v1/lists/entries/${entry.id}/history`)).status).toBe(404);
      }
    });

    it('searching: by full ID number, USCC, name or 合肥’s region finds nothing of 合肥', async () => {
      const wuhu = await client(WUHU);
      const found = async (query: string) =>
        (await wuhu.get(`/api/v1/lists/entries?${query}`)).body.items.map((e: { id: string; region: string }) => e);
      expect(await found(`q=${hefeiPerson}`)).toEqual([]);
      expect(await found(`q=${makeUscc(7103)}`)).toEqual([]);
      expect(await found(`q=${encodeURIComponent('测试自然人7101')}`)).toEqual([]);
      expect(await found('region=340100')).toEqual([]);
      expect(await found('region=340000&limit=500')).not.toEqual([]);
      for (const e of await found('limit=500')) expect(e.region.slice(0, 4)).toBe('3402');
      // 芜湖 finds its own by USCC; the company listed in both cities shows its 芜湖 entry only
      expect((await found(`q=${makeUscc(7104)}`)).map((e: { id: string }) => e.id)).toEqual([wuhuCity.id]);
      expect((await found(`q=${bothCompany}`)).map((e: { region: string }) => e.region)).toEqual(['340200']);
      // the provincial office searches the whole province by full ID number
      const province = await client(PROVINCE);
      const byId = await province.get(`/api/v1/lists/entries?q=${hefeiPerson}`);
      expect(byId.body.items.map((e: { id: string }) => e.id)).toEqual([hefeiProvincial.id]);
    });

    it('credit files: a subject listed only in 合肥 is not found; one listed in both shows its 芜湖 entry only', async () => {
      const wuhu = await client(WUHU);
      expect((await wuhu.get(`/api/v1/subjects/${hefeiPerson}/credit`)).status).toBe(404);
      expect((await wuhu.get(`/api/v1/subjects/${makeUscc(7103)}/credit`)).status).toBe(404);
      const both = await wuhu.get(`/api/v1/subjects/${bothCompany}/credit`);
      expect(both.status).toBe(200);
      expect(both.body.entries.map((e: { region: string }) => e.region)).toEqual(['340200']);
      const province = await (await client(PROVINCE)).get(`/api/v1/subjects/${bothCompany}/credit`);
      expect(province.body.entries.map((e: { region: string }) => e.region).sort()).toEqual(['340100', '340200']);
      expect((await (await client(PROVINCE)).get(`/api/v1/subjects/${hefeiPerson}/credit`)).status).toBe(200);
    });

    it('a batch: entries outside its city or above the city level rejected one by one, the rest stored', async () => {
      const res = await (
        await client(WUHU)
      ).post('/api/v1/lists/entries/batch', {
        entries: [
          courtEntry(7301, { region: '340100' }),
          courtEntry(7302, { region: '340209' }),
          courtEntry(7303, { region: '340200', identificationLevel: 'provincial' }),
          courtEntry(7103, { region: '340200' }), // 合肥's entry, published again
          courtEntry(7105, { region: '340207', identificationLevel: 'city' }), // the provincial 芜湖 entry
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.counts).toMatchObject({ created: 1, rejected: 4 });
      expect(
        res.body.results.map((r: { status: string; errors?: { field: string }[] }) => [r.status, r.errors?.[0].field]),
      ).toEqual([
        ['rejected', 'region'],
        ['created', undefined],
        ['rejected', 'identificationLevel'],
        ['rejected', 'documentNo'],
        ['rejected', 'identificationLevel'],
      ]);
      expect(res.body.results[3].id).toBeUndefined(); // another city's entry: not even its id
      expect(res.body.results[4].id).toBe(wuhuProvincial.id);
      expect(
        await lists.count(`SELECT * FROM list_entries WHERE document_no = ANY($1)`, [
          [courtEntry(7301).documentNo, courtEntry(7303).documentNo],
        ]),
      ).toBe(0);
      expect((await stateOf(hefeiCity.id)).entry).toMatchObject({ version: 1, region: '340100' });
      expect((await stateOf(wuhuProvincial.id)).entry).toMatchObject({
        version: 1,
        identification_level: 'provincial',
      });
    });

    it('a full push removes only its own city-level entries in its city', async () => {
      const wuhu = await client(WUHU);
      const kept = await publish(WUHU, courtEntry(7401, { region: '340200', listType: 'BL-COURT-DEBTOR' }));
      const gone = await publish(WUHU, courtEntry(7402, { region: '340200' }));
      const moved = await publish(WUHU, courtEntry(7403, { region: '340200' }));
      const raised = await publish(WUHU, courtEntry(7404, { region: '340200' }));
      // the provincial office moves one to 合肥 and raises another to the provincial level
      expect(
        (await patch(PROVINCE, `/api/v1/lists/entries/${moved.id}`, { correctionReason: '区划有误', region: '340102' }))
          .status,
      ).toBe(200);
      expect(
        (
          await patch(PROVINCE, `/api/v1/lists/entries/${raised.id}`, {
            correctionReason: '认定级别有误',
            identificationLevel: 'provincial',
          })
        ).status,
      ).toBe(200);
      const hefeiBefore = await stateOf(hefeiCity.id);
      const res = await wuhu.post('/api/v1/lists/entries/batch', {
        mode: 'full',
        listType: 'BL-COURT-DEBTOR',
        confirmRemovals: 3, // more than the default limit (10 %): confirmed
        entries: [
          courtEntry(7401, { region: '340200' }),
          courtEntry(7104, { region: '340202', decidedBy: '芜湖市中级人民法院' }),
        ],
      });
      expect(res.status).toBe(200);
      const statuses = await lists.query<{ id: string; status: string }>(
        `SELECT id, status FROM list_entries WHERE id = ANY($1::uuid[])`,
        [[kept.id, gone.id, moved.id, raised.id, wuhuCity.id]],
      );
      const status = Object.fromEntries(statuses.map((s) => [s.id, s.status]));
      expect(status).toEqual({
        [kept.id]: 'active',
        [gone.id]: 'removed',
        [moved.id]: 'active', // in 合肥 now: out of 芜湖's reach
        [raised.id]: 'active', // provincial now: not 芜湖's to decide
        [wuhuCity.id]: 'active',
      });
      // also absent from the push: 芜湖's entry of the company listed in both cities, and the batch's 7302
      const others = await lists.query<{ status: string }>(
        `SELECT status FROM list_entries WHERE document_no = ANY($1) AND published_by = $2`,
        [['（2026）皖02执7102号', courtEntry(7302).documentNo], WUHU],
      );
      expect(others).toEqual([{ status: 'removed' }, { status: 'removed' }]);
      expect(res.body.counts.removed).toBe(3);
      expect(await stateOf(hefeiCity.id)).toEqual(hefeiBefore);
    });

    it('an import: rows outside its city or above the city level rejected with their reason, the rest stored', async () => {
      const headers =
        '名单类型,主体类别,主体名称,统一社会信用代码,证件类型,证件号码,法定代表人,法定代表人证件号码,列入事由,认定部门,认定级别,认定文号,列入日期,有效期至,行政区划';
      const row = (n: number, level: string, region: string) =>
        `失信被执行人名单,法人,芜湖导入公司${n},${makeUscc(n)},,,,,拒不履行,芜湖中院,${level},芜湖导入-${n},2026-11-01,,${region}`;
      const csv = [headers, row(7501, '市级', '340100'), row(7502, '市级', '340202'), row(7503, '省级', '340202')].join(
        '\r\n',
      );
      const token = await suite.api.tokenOf(WUHU);
      const upload = await suite.api
        .http()
        .post('/api/v1/lists/imports')
        .set('Authorization', `Bearer ${token}`)
        .attach('file', Buffer.from(`${csv}\r\n`, 'utf8'), 'wuhu.csv');
      expect(upload.status).toBe(202);
      const job = await waitFor('the 芜湖 import done', async () => {
        const res = await (await client(WUHU)).get(`/api/v1/lists/imports/${upload.body.id}`);
        return res.body.status === 'done' ? res.body : undefined;
      });
      expect(job).toMatchObject({ total: 3, created: 1, rejected: 2 });
      const errors = await suite.api
        .http()
        .get(`/api/v1/lists/imports/${upload.body.id}/errors`)
        .set('Authorization', `Bearer ${token}`)
        .buffer(true)
        .parse(rawBody);
      const lines = (errors.body as Buffer).subarray(3).toString('utf8').trim().split(/\r?\n/);
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(/^2,/);
      expect(lines[1]).toContain('行政区划：行政区划不在本市范围内');
      expect(lines[2]).toMatch(/^4,/);
      expect(lines[2]).toContain('认定级别：无权认定该级别的名单');
      expect(await lists.count(`SELECT * FROM list_entries WHERE document_no LIKE '芜湖导入-%'`)).toBe(1);

      // its own imports only: the provincial office's import is not found for it; the province sees 芜湖's
      const provinceUpload = await suite.api
        .http()
        .post('/api/v1/lists/imports')
        .set('Authorization', `Bearer ${await suite.api.tokenOf(PROVINCE)}`)
        .attach('file', Buffer.from(`${headers}\r\n`, 'utf8'), 'province.csv');
      expect(provinceUpload.status).toBe(202);
      const wuhu = await client(WUHU);
      expect((await wuhu.get(`/api/v1/lists/imports/${provinceUpload.body.id}`)).status).toBe(404);
      expect((await wuhu.get(`/api/v1/lists/imports/${provinceUpload.body.id}/errors`)).status).toBe(404);
      expect((await (await client(HEFEI)).get(`/api/v1/lists/imports/${upload.body.id}`)).status).toBe(404);
      expect((await (await client(PROVINCE)).get(`/api/v1/lists/imports/${upload.body.id}`)).status).toBe(200);
    });
  });

  describe('芜湖’s office on 芜湖 entries', () => {
    it('its own city-level entry: reads, corrects, files and decides objections, removes', async () => {
      const wuhu = await client(WUHU);
      const entry = await publish(WUHU, courtEntry(7601, { region: '340207' }));
      expect((await wuhu.get(`/api/v1/lists/entries/${entry.id}`)).body).toMatchObject({
        region: '340207',
        identificationLevel: 'city',
      });
      expect((await wuhu.get(`/api/v1/lists/entries/${entry.id}/history`)).status).toBe(200);
      expect((await wuhu.get(`/api/v1/subjects/${makeUscc(7601)}/credit`)).status).toBe(200);
      const again = await wuhu.post('/api/v1/lists/entries', courtEntry(7601, { region: '340207', amount: '100.00' }));
      expect([again.status, again.body.outcome]).toEqual([200, 'updated']);
      const corrected = await patch(WUHU, `/api/v1/lists/entries/${entry.id}`, {
        correctionReason: '更正',
        region: '340202',
      });
      expect([corrected.status, corrected.body.region]).toEqual([200, '340202']);
      const filed = await wuhu.post(`/api/v1/lists/entries/${entry.id}/objections`, {
        statement: '异议',
        contact: 'x',
      });
      expect(filed.status).toBe(201);
      expect(
        (await wuhu.get('/api/v1/lists/objections?status=pending')).body.items.map((o: { id: string }) => o.id),
      ).toContain(filed.body.id);
      const decided = await wuhu.post(`/api/v1/lists/objections/${filed.body.id}/decision`, {
        upheld: true,
        reason: '部分成立',
        corrections: { reason: '更正后的事由' },
      });
      expect(decided.status).toBe(200);
      const removed = await wuhu.post(`/api/v1/lists/entries/${entry.id}/transitions`, {
        action: 'remove',
        reason: '移出',
        at: '2026-11-20',
      });
      expect([removed.status, removed.body.status]).toEqual([200, 'removed']);
    });

    it('keeps its own entries in its city at the city level: corrections outside are 403 with the field', async () => {
      const entry = await publish(WUHU, courtEntry(7602, { region: '340200' }));
      const before = await stateOf(entry.id);
      const away = await patch(WUHU, `/api/v1/lists/entries/${entry.id}`, { correctionReason: 'x', region: '340100' });
      expect([away.status, away.body.errors?.[0]?.field]).toEqual([403, 'region']);
      const up = await patch(WUHU, `/api/v1/lists/entries/${entry.id}`, {
        correctionReason: 'x',
        identificationLevel: 'provincial',
      });
      expect([up.status, up.body.errors?.[0]?.field]).toEqual([403, 'identificationLevel']);
      const filed = await (
        await client(WUHU)
      ).post(`/api/v1/lists/entries/${entry.id}/objections`, { statement: '异议', contact: 'x' });
      const decision = await (
        await client(WUHU)
      ).post(`/api/v1/lists/objections/${filed.body.id}/decision`, {
        upheld: true,
        reason: 'x',
        corrections: { region: '340104' },
      });
      expect([decision.status, decision.body.errors?.[0]?.field]).toEqual([403, 'region']);
      const after = await stateOf(entry.id);
      expect(after.entry).toEqual({ ...before.entry, version: before.entry.version + 1, disputed: true }); // only the filing
      expect(after.history).toBe(before.history + 1);
      const [objection] = await lists.query<{ status: string }>(`SELECT status FROM objections WHERE id = $1`, [
        filed.body.id,
      ]);
      expect(objection.status).toBe('pending');
    });

    it('a provincial entry of its city: reads it and files an objection, but may not change or decide it (403)', async () => {
      const wuhu = await client(WUHU);
      expect((await wuhu.get(`/api/v1/lists/entries/${wuhuProvincial.id}`)).status).toBe(200);
      expect((await wuhu.get(`/api/v1/lists/entries/${wuhuProvincial.id}/history`)).status).toBe(200);
      expect((await wuhu.get(`/api/v1/subjects/${makeUscc(7105)}/credit`)).status).toBe(200);
      const before = await stateOf(wuhuProvincial.id);
      expect(
        (
          await wuhu.post(`/api/v1/lists/entries/${wuhuProvincial.id}/transitions`, {
            action: 'remove',
            reason: 'x',
            at: '2026-11-20',
          })
        ).status,
      ).toBe(403);
      expect(
        (await patch(WUHU, `/api/v1/lists/entries/${wuhuProvincial.id}`, { correctionReason: 'x', reason: 'y' }))
          .status,
      ).toBe(403);
      const again = await wuhu.post(
        '/api/v1/lists/entries',
        courtEntry(7105, { region: '340207', identificationLevel: 'city', reason: '改' }),
      );
      expect([again.status, again.body.errors?.[0]?.field]).toEqual([403, 'identificationLevel']);
      expect(await stateOf(wuhuProvincial.id)).toEqual(before);
      const filed = await wuhu.post(`/api/v1/lists/entries/${wuhuProvincial.id}/objections`, {
        statement: '异议',
        contact: 'x',
      });
      expect(filed.status).toBe(201);
      const decision = await wuhu.post(`/api/v1/lists/objections/${filed.body.id}/decision`, {
        upheld: false,
        reason: 'x',
      });
      expect(decision.status).toBe(403);
      // the provincial office decides it
      const province = await (
        await client(PROVINCE)
      ).post(`/api/v1/lists/objections/${filed.body.id}/decision`, { upheld: false, reason: '异议不成立' });
      expect(province.status).toBe(200);
    });
  });

  describe('the provincial office reaches both cities', () => {
    it('reads, searches and changes 合肥 and 芜湖 entries at every level', async () => {
      const province = await client(PROVINCE);
      for (const entry of [hefeiProvincial, hefeiCity, wuhuCity, wuhuProvincial]) {
        expect((await province.get(`/api/v1/lists/entries/${entry.id}`)).status).toBe(200);
        expect((await province.get(`/api/v1/lists/entries/${entry.id}/history`)).status).toBe(200);
      }
      const all = (await province.get('/api/v1/lists/entries?limit=500')).body.items.map((e: { id: string }) => e.id);
      expect(all).toEqual(expect.arrayContaining([hefeiProvincial.id, hefeiCity.id, wuhuCity.id, wuhuProvincial.id]));
      expect(
        (
          await patch(PROVINCE, `/api/v1/lists/entries/${hefeiCity.id}`, {
            correctionReason: '省级更正',
            reason: '更正',
          })
        ).status,
      ).toBe(200);
      const national = await province.post(
        '/api/v1/lists/entries',
        courtEntry(7701, { region: '340200', identificationLevel: 'national' }),
      );
      expect(national.status).toBe(201);
    });

    it('a region filter of a city holds its counties only (黄山 341000 does not hold 滁州 341100)', async () => {
      const province = await client(PROVINCE);
      const chuzhou = await publish(PROVINCE, courtEntry(7702, { region: '341122' }));
      const ids = async (region: string) =>
        (await province.get(`/api/v1/lists/entries?region=${region}&limit=500`)).body.items.map(
          (e: { id: string }) => e.id,
        );
      expect(await ids('341100')).toContain(chuzhou.id);
      expect(await ids('341000')).not.toContain(chuzhou.id);
    });
  });

  describe('the audit trail', () => {
    it('a city office sees the records made by its city’s organisations and those about its city’s entries', async () => {
      const records = async (code: string, query: string) =>
        (await (await client(code)).get(`/api/v1/admin/audit?${query}&limit=500`)).body.items as {
          organization: string;
          objectType: string;
          objectId: string;
        }[];
      // the records have reached measures, and so have the entries' regions
      await waitFor('the audit records and entry states in measures', async () => {
        const states = await measures.count(`SELECT * FROM entry_states WHERE entry_id = ANY($1::uuid[])`, [
          [hefeiProvincial.id, hefeiCity.id, wuhuCity.id, wuhuProvincial.id],
        ]);
        const hefei = await records(PROVINCE, `objectId=${hefeiCity.id}`);
        const court = await records(PROVINCE, `objectId=${wuhuProvincial.id}`);
        return states === 4 && hefei.length > 0 && court.length > 0;
      });
      // about 合肥 entries: nothing but what 芜湖's office itself did; made by 合肥's office: nothing
      const others = (rs: { organization: string }[]) => rs.filter((r) => r.organization !== WUHU);
      expect(others(await records(WUHU, `objectId=${hefeiCity.id}`))).toEqual([]);
      expect(others(await records(WUHU, `objectId=${hefeiProvincial.id}`))).toEqual([]);
      expect(await records(WUHU, `organization=${HEFEI}`)).toEqual([]);
      expect((await records(PROVINCE, `organization=${HEFEI}`)).length).toBeGreaterThan(0);
      // about a 芜湖 entry, even when the provincial court made them
      const court = await records(WUHU, `objectId=${wuhuProvincial.id}`);
      expect(court.map((r) => r.organization)).toContain(COURT);
      // its own records, whatever their object
      const own = await records(WUHU, `organization=${WUHU}`);
      expect(own.length).toBeGreaterThan(0);
      for (const r of await records(WUHU, 'objectType=list-entry'))
        expect(
          r.organization === WUHU ||
            [wuhuCity.id, wuhuProvincial.id].includes(r.objectId) ||
            (await measures.count(`SELECT * FROM entry_states WHERE entry_id = $1 AND left(region, 4) = '3402'`, [
              r.objectId,
            ])) === 1,
        ).toBe(true);
      // the province sees them all
      expect((await records(PROVINCE, `objectId=${hefeiCity.id}`)).length).toBeGreaterThan(0);
    });
  });
});
