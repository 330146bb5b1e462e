import { createStandaloneApp } from '../../apps/standalone/src/standalone.app';
import { RematchJob } from '../../apps/measures/src/catalogue/versions/rematch.job';
import JSZip from 'jszip';
import { makeUscc, rawBody, testConfig, waitFor } from '@jrp/testing';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

const OFFICE = 'AH-CREDIT-OFFICE';
const MARKET = 'AH-SAMR'; // implements nothing for 失信被执行人 in the seed

/** Catalogue versions: a draft, publication, diffs, and re-matching of the active entries. */
describe('catalogue versions', () => {
  const suite = useStandalone('ver', { JRP_REMATCH_BATCH_SIZE: '2' });
  const office = () => suite.api.as(OFFICE);
  const put = async (path: string, body: object, code = OFFICE) =>
    suite.api
      .http()
      .put(path)
      .set('Authorization', `Bearer ${await suite.api.tokenOf(code)}`)
      .send(body);
  const entries: string[] = [];
  const openTasksOf = (org: string) =>
    suite.measures.count(`SELECT * FROM tasks WHERE organization = $1 AND status = 'open' AND entry_id = ANY($2)`, [
      org,
      entries,
    ]);

  beforeAll(async () => {
    for (let n = 0; n < 7; n++)
      entries.push((await (await suite.api.as(COURT)).post('/api/v1/lists/entries', courtEntry(8000 + n))).body.id);
    await waitFor('entries matched', async () => (await openTasksOf(RAILWAY)) === entries.length);
  });

  it('starts from the seed: a valid draft equal to version 1', async () => {
    const draft = await (await office()).get('/api/v1/catalogue/draft');
    expect(draft.body).toMatchObject({ baseVersion: 1, problems: [] });
    const v1 = await (await office()).get('/api/v1/catalogue/versions/1');
    expect(draft.body.document).toEqual(v1.body);
    expect(v1.body.measures).toHaveLength(100);
    expect((await (await office()).post('/api/v1/catalogue/versions', {})).status).toBe(409); // nothing new
  });

  it('refuses to publish a draft with problems, naming them', async () => {
    const m = (await (await office()).get('/api/v1/catalogue/versions/1')).body.measures.find(
      (x: { code: string }) => x.code === 'M01-01',
    );
    const { code: _, ...body } = m;
    await put('/api/v1/catalogue/draft/measures/M01-01', { ...body, implementingOrganizations: ['AH-NOBODY'] });
    const res = await (await office()).post('/api/v1/catalogue/versions', {});
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        field: expect.stringMatching(/^measures\.\d+\.implementingOrganizations$/),
        message: 'unknown organisation AH-NOBODY',
      }),
    ]);
    await put('/api/v1/catalogue/draft/measures/M01-01', body); // restore
  });

  it('publishes a version and re-matches exactly the delta, interrupted and resumed without duplicates', async () => {
    const v1 = (await (await office()).get('/api/v1/catalogue/versions/1')).body;
    const railwayMeasure = v1.measures.find((x: { code: string }) => x.code === 'M01-01');
    // a new measure for the market regulator; the railway's measure withdrawn
    const { code: _, ...body } = railwayMeasure;
    expect(
      (
        await put('/api/v1/catalogue/draft/measures/M01-99', {
          ...body,
          text: '限制失信被执行人担任食品生产经营企业负责人',
          implementingOrganizations: [MARKET],
          feedbackDueWorkingDays: 10,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await suite.api
          .http()
          .delete('/api/v1/catalogue/draft/measures/M01-01')
          .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
      ).status,
    ).toBe(200);
    // the delta: the market regulator gains, the withdrawn measure's implementers (the railway, the airlines) lose
    const delta: string[] = [MARKET, ...railwayMeasure.implementingOrganizations];
    const untouched = () =>
      suite.measures.query<{ id: string; version: number }>(
        `SELECT id, version FROM tasks WHERE entry_id = ANY($1) AND NOT (organization = ANY($2)) ORDER BY id`,
        [entries, delta],
      );
    const otherTasks = await untouched();
    const deltaVersions = new Map(
      (
        await suite.measures.query<{ id: string; version: number }>(
          `SELECT id, version FROM tasks WHERE entry_id = ANY($1) AND organization = ANY($2)`,
          [entries, delta],
        )
      ).map((t) => [t.id, t.version]),
    );

    // this replica stops re-matching (as if it were going down) after two batches of 2
    const job = suite.app.get(RematchJob);
    await job.onApplicationShutdown();
    const published = await (await office()).post('/api/v1/catalogue/versions', { note: '调整铁路与市场监管措施' });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ version: 2, changes: { measures: { added: 1, removed: 1, changed: 0 } } });
    expect(await job.batch()).toBe(true);
    expect(await job.batch()).toBe(true);
    const halfway = (await (await office()).get('/api/v1/catalogue/versions/2/rematch')).body;
    expect(halfway).toMatchObject({ status: 'running', processed: 4 });
    expect(halfway.total).toBeGreaterThanOrEqual(entries.length);

    // another replica takes over
    const second = await createStandaloneApp(testConfig(suite.env));
    try {
      await waitFor(
        're-matching done',
        async () => (await (await office()).get('/api/v1/catalogue/versions/2/rematch')).body.status === 'done',
        30000,
      );
    } finally {
      await second.close();
    }
    const done = (await (await office()).get('/api/v1/catalogue/versions/2/rematch')).body;
    expect(done.processed).toBe(done.total);
    expect(await openTasksOf(MARKET)).toBe(entries.length);
    expect(await openTasksOf(RAILWAY)).toBe(0);
    // untouched: the other organisations' tasks keep their versions
    expect(await untouched()).toEqual(otherTasks);
    // each task of the delta changed exactly once
    for (const t of await suite.measures.query<{ id: string; version: number }>(
      `SELECT id, version FROM tasks WHERE entry_id = ANY($1) AND organization = ANY($2)`,
      [entries, delta],
    )) {
      expect(t.version).toBe((deltaVersions.get(t.id) ?? 0) + 1);
    }
    // once each: one dispatch per market task, one revocation per railway task
    const changes = await suite.measures.query<{ organization: string; type: string; n: number }>(
      `SELECT organization, type, count(*)::int AS n FROM task_changes WHERE task_id IN (SELECT id FROM tasks WHERE entry_id = ANY($1)) AND organization IN ($2, $3)
       GROUP BY organization, type ORDER BY organization, type`,
      [entries, RAILWAY, MARKET],
    );
    expect(changes).toEqual([
      { organization: RAILWAY, type: 'dispatched', n: entries.length },
      { organization: RAILWAY, type: 'revoked', n: entries.length },
      { organization: MARKET, type: 'dispatched', n: entries.length },
    ]);
    // list-ingestion learned the new version
    await waitFor(
      'list-ingestion on version 2',
      async () =>
        (await suite.lists.query<{ version: number }>('SELECT version FROM catalogue_state'))[0]?.version === 2,
    );
  });

  it('lists versions, keeps them immutable, and diffs them', async () => {
    const list = await (await suite.api.as(RAILWAY)).get('/api/v1/catalogue/versions');
    expect(list.body.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(list.body.items[1]).toMatchObject({ publishedBy: OFFICE, note: '调整铁路与市场监管措施', measures: 100 });
    const diff = await (await suite.api.as(RAILWAY)).get('/api/v1/catalogue/versions/1/diff/2');
    expect(diff.body.measures.added.map((x: { code: string }) => x.code)).toEqual(['M01-99']);
    expect(diff.body.measures.removed.map((x: { code: string }) => x.code)).toEqual(['M01-01']);
    expect(diff.body.measures.changed).toEqual([]);
    await expect(suite.measures.query(`UPDATE catalogue_versions SET note = 'x' WHERE version = 1`)).rejects.toThrow(
      /immutable/,
    );
  });

  it('lets a city office change only its own city’s measures', async () => {
    const v2 = (await (await office()).get('/api/v1/catalogue/versions/2')).body;
    const { code: _, ...body } = v2.measures.find((x: { code: string }) => x.code === 'M01-99');
    const hefei = 'AH-C340100';
    const own = await put(
      '/api/v1/catalogue/draft/measures/HF-01',
      { ...body, text: '合肥市：限制参与市级评优评先', scopeRegion: '340100' },
      hefei,
    );
    expect(own.status).toBe(200);
    expect(
      (await put('/api/v1/catalogue/draft/measures/WH-01', { ...body, scopeRegion: '340200' }, hefei)).status,
    ).toBe(403);
    expect(
      (await put('/api/v1/catalogue/draft/measures/M01-99', { ...body, text: '改动全省措施' }, hefei)).status,
    ).toBe(403);
    const published = await (await suite.api.as(hefei)).post('/api/v1/catalogue/versions', {});
    expect(published.status).toBe(201);
    // a Hefei subject gets the city measure, through its market regulator task
    const hefeiEntry = (
      await (
        await suite.api.as(COURT)
      ).post('/api/v1/lists/entries', {
        ...courtEntry(8100),
        subject: { kind: 'legal', name: '合肥公司', uscc: makeUscc(8100) },
        region: '340104',
      })
    ).body.id;
    const otherCity = (
      await (
        await suite.api.as(COURT)
      ).post('/api/v1/lists/entries', {
        ...courtEntry(8101),
        subject: { kind: 'legal', name: '芜湖公司', uscc: makeUscc(8101) },
        region: '340202',
      })
    ).body.id;
    const measuresOf = async (entryId: string) =>
      waitFor('task', async () =>
        (
          await suite.measures.query<{ measures: { id: string }[] }>(
            `SELECT measures FROM tasks WHERE entry_id = $1 AND organization = $2`,
            [entryId, MARKET],
          )
        )[0]?.measures.map((x) => x.id),
      );
    expect(await measuresOf(hefeiEntry)).toEqual(['HF-01', 'M01-99']);
    expect(await measuresOf(otherCity)).toEqual(['M01-99']);
  });
});

describe('catalogue export and import', () => {
  const suite = useStandalone('xlsx');

  it('round-trips a version through XLSX: export, import into the draft, identical catalogue', async () => {
    const office = await suite.api.tokenOf('AH-CREDIT-OFFICE');
    const exported = await suite.api
      .http()
      .get('/api/v1/catalogue/versions/1?format=xlsx')
      .set('Authorization', `Bearer ${office}`)
      .buffer(true)
      .parse(rawBody);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const imported = await suite.api
      .http()
      .post('/api/v1/catalogue/draft/import')
      .set('Authorization', `Bearer ${office}`)
      .attach('file', exported.body as Buffer, 'catalogue.xlsx');
    expect(imported.status).toBe(201);
    const v1 = await suite.api.http().get('/api/v1/catalogue/versions/1').set('Authorization', `Bearer ${office}`);
    expect(imported.body.document).toEqual(v1.body);
    expect(imported.body.problems).toEqual([]);
    expect(
      (await suite.api.http().post('/api/v1/catalogue/versions').set('Authorization', `Bearer ${office}`).send({}))
        .status,
    ).toBe(409); // identical
  });

  it('imports JSON, and refuses a file that is neither', async () => {
    const office = await suite.api.tokenOf('AH-CREDIT-OFFICE');
    const v1 = (await suite.api.http().get('/api/v1/catalogue/versions/1').set('Authorization', `Bearer ${office}`))
      .body;
    const json = Buffer.from(JSON.stringify({ ...v1, measures: v1.measures.slice(0, 99) }));
    const res = await suite.api
      .http()
      .post('/api/v1/catalogue/draft/import')
      .set('Authorization', `Bearer ${office}`)
      .attach('file', json, 'catalogue.json');
    expect(res.status).toBe(201);
    expect(res.body.document.measures).toHaveLength(99);
    const bad = await suite.api
      .http()
      .post('/api/v1/catalogue/draft/import')
      .set('Authorization', `Bearer ${office}`)
      .attach('file', Buffer.from('x,y'), 'x.csv');
    expect(bad.status).toBe(400);
  });

  it('refuses a zip bomb XLSX (a small file that inflates beyond the bound) with a clear error; the draft is unchanged', async () => {
    const office = await suite.api.tokenOf('AH-CREDIT-OFFICE');
    const exported = await suite.api
      .http()
      .get('/api/v1/catalogue/versions/1?format=xlsx')
      .set('Authorization', `Bearer ${office}`)
      .buffer(true)
      .parse(rawBody);
    // the 措施 sheet padded with 400,000 identical rows: ~25 MB of XML deflated to well under 200 KB
    const zip = await JSZip.loadAsync(exported.body as Buffer);
    const sheet = await zip.file('xl/worksheets/sheet3.xml')!.async('string');
    const row = '<row><c t="inlineStr"><is><t>限制乘坐飞机</t></is></c></row>';
    zip.file('xl/worksheets/sheet3.xml', sheet.replace('</sheetData>', `${row.repeat(400_000)}</sheetData>`));
    const bomb = await zip.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
      compressionOptions: { level: 9 },
    });
    expect(bomb.length).toBeLessThan(200 * 1024);

    const draft = async () =>
      (await suite.api.http().get('/api/v1/catalogue/draft').set('Authorization', `Bearer ${office}`)).body;
    const before = await draft();
    const res = await suite.api
      .http()
      .post('/api/v1/catalogue/draft/import')
      .set('Authorization', `Bearer ${office}`)
      .attach('file', bomb, 'catalogue.xlsx');
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([
      { field: 'file', message: '文件压缩比异常（解压后体积远超文件本身，疑似压缩炸弹），无法导入' },
    ]);
    expect(await draft()).toEqual(before);

    // a workbook that is not a catalogue: 400 with the reason on the field
    const noSheet = await JSZip.loadAsync(exported.body as Buffer);
    noSheet.file(
      'xl/workbook.xml',
      (await noSheet.file('xl/workbook.xml')!.async('string')).replace('name="措施"', 'name="其他"'),
    );
    const bad = await suite.api
      .http()
      .post('/api/v1/catalogue/draft/import')
      .set('Authorization', `Bearer ${office}`)
      .attach('file', await noSheet.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), 'catalogue.xlsx');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'file', message: '缺少工作表：措施' }]);
    expect(await draft()).toEqual(before);
  });
});

describe('catalogue reads', () => {
  const suite = useStandalone('reads');

  it('pages by cursor and filters', async () => {
    const railway = await suite.api.as(RAILWAY);
    const seen: string[] = [];
    let next: string | null = null;
    const pages: [number, boolean][] = [];
    do {
      const res = await railway.get(`/api/v1/catalogue/measures?limit=25${next ? `&after=${next}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((m: { id: string }) => m.id));
      pages.push([res.body.items.length, res.body.hasMore]);
      next = res.body.next;
      expect(Boolean(next)).toBe(res.body.hasMore);
    } while (next);
    // 100 measures in pages of 25: the fourth page says it is the last (no empty fifth page)
    expect(pages).toEqual([
      [25, true],
      [25, true],
      [25, true],
      [25, false],
    ]);
    expect(seen).toHaveLength(100);
    expect(new Set(seen).size).toBe(100);
    const mine = (await railway.get(`/api/v1/catalogue/measures?organization=${RAILWAY}`)).body.items;
    expect(mine.map((m: { id: string }) => m.id)).toEqual(['M01-01']);
    expect(
      (await railway.get('/api/v1/catalogue/measures?memorandum=M07')).body.items.every(
        (m: { memorandum: string }) => m.memorandum === 'M07',
      ),
    ).toBe(true);
    expect((await railway.get('/api/v1/catalogue/organizations?level=city')).body.items).toHaveLength(16);
    expect(
      (await railway.get('/api/v1/catalogue/list-types?colour=red')).body.items.map((l: { code: string }) => l.code),
    ).toEqual(['RL-CUSTOMS-AEO', 'RL-TAX-GRADE-A']);
    expect((await railway.get('/api/v1/catalogue/memoranda')).body.items).toHaveLength(10);
  });
});
