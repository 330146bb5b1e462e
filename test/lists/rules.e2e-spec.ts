import type { QueryRunner } from 'typeorm';
import { ExpiryJob } from '../../apps/list-ingestion/src/lifecycle/expiry.job';
import { GradedEntries1764300000192 } from '../../apps/list-ingestion/src/migrations/1764300000192-graded-entries';
import { ListTypeRules1764300000191 } from '../../apps/measures/src/migrations/1764300000191-list-type-rules';
import { makeUscc, SchemaProbe, waitFor } from '@jrp/testing';
import { addMonths, todayInShanghai } from '@jrp/domain';
import { useStandalone } from '../support/standalone';

const STATS = 'AH-STATS'; // identifies 统计领域严重失信企业 (seed: notice-first, repaired on application 2025, graded)
const TAX = 'AH-TAX'; // identifies 重大税收违法案件当事人 (seed: the 2018 path, ungraded)
const OFFICE = 'AH-CREDIT-OFFICE';

const statsEntry = (n: number, extra: object = {}) => ({
  listType: 'BL-STATISTICS',
  subject: { kind: 'legal', name: `统计规则测试公司${n}`, uscc: makeUscc(8100 + n) },
  reason: '统计造假',
  decidedBy: '安徽省统计局',
  identificationLevel: 'provincial',
  documentNo: `皖统罚〔2026〕${n}号`,
  listedAt: '2025-11-14',
  region: '340104',
  // BL-STATISTICS is notice-first: the notice was served long ago outside jrp, so the entry is listed directly
  notice: { servedOn: '2025-10-01', documentNo: `皖统告〔2025〕${n}号` },
  ...extra,
});
const taxEntry = (n: number, extra: object = {}) => ({
  ...statsEntry(n),
  listType: 'BL-TAX-MAJOR-CASE',
  subject: { kind: 'legal', name: `税务规则测试公司${n}`, uscc: makeUscc(8300 + n) },
  reason: '虚开增值税专用发票',
  decidedBy: '国家税务总局安徽省税务局稽查局',
  documentNo: `皖税稽罚〔2026〕${n}号`,
  ...extra,
});

/**
 * Rule sets per list type (procedure, repair path, grades with publication periods) and graded entries
 * (信用修复管理办法 2025) beside the 2018 path, on real PostgreSQL and Kafka.
 */
describe('list rules and graded entries', () => {
  const suite = useStandalone('rules');
  const { lists } = suite;
  const today = todayInShanghai();

  const publish = async (code: string, body: object, key?: string) => {
    const req = (await suite.api.as(code)).post('/api/v1/lists/entries', body);
    return key ? req.set('Idempotency-Key', key) : req;
  };
  const read = async (code: string, id: string) =>
    (await (await suite.api.as(code)).get(`/api/v1/lists/entries/${id}`)).body as Record<string, unknown>;
  const step = async (code: string, id: string, body: object) =>
    (await suite.api.as(code)).post(`/api/v1/lists/entries/${id}/transitions`, { reason: '依据', at: today, ...body });
  const eventsOf = (entryId: string) =>
    lists.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, envelope->'data' AS data FROM outbox WHERE type LIKE 'jrp.list-entry.%' AND envelope->'data'->>'entryId' = $1 ORDER BY seq`,
      [entryId],
    );
  const publicNames = async (q: string) =>
    (
      (await suite.api.http().get(`/api/v1/lists/public?q=${encodeURIComponent(q)}`)).body.items as {
        subject: { name: string };
      }[]
    ).map((i) => i.subject.name);

  it('shows each list type’s rule set in the catalogue, and list-ingestion keeps the same', async () => {
    const items = (await (await suite.api.as(OFFICE)).get('/api/v1/catalogue/list-types?limit=100')).body
      .items as Record<string, unknown>[];
    const byCode = new Map(items.map((l) => [l.code, l]));
    expect(byCode.get('BL-COURT-DEBTOR')).toMatchObject({
      procedure: 'direct',
      repairPath: 'none',
      repairable: false,
      grades: [],
      basis: { document: expect.stringContaining('法释〔2017〕7号') as string, article: '第一条' },
    });
    expect(byCode.get('BL-TAX-MAJOR-CASE')).toMatchObject({ repairPath: 'watch-list-2018', repairable: true });
    expect(byCode.get('BL-STATISTICS')).toMatchObject({
      procedure: 'notice-first',
      repairPath: 'application-2025',
      defaultGrade: 'serious',
      grades: [
        { grade: 'minor', minimumMonths: 0, maximumMonths: 3 },
        { grade: 'general', minimumMonths: 3, maximumMonths: 12 },
        { grade: 'serious', minimumMonths: 12, maximumMonths: 36 },
      ],
    });
    const copy = await lists.query<{ code: string; repair_path: string; grades: unknown[] }>(
      `SELECT code, repair_path, grades FROM known_list_types WHERE code IN ('BL-STATISTICS', 'BL-TAX-MAJOR-CASE') ORDER BY code`,
    );
    expect(copy.map((l) => [l.code, l.repair_path, l.grades.length])).toEqual([
      ['BL-STATISTICS', 'application-2025', 3],
      ['BL-TAX-MAJOR-CASE', 'watch-list-2018', 0],
    ]);
  });

  it('grades an entry: the dates follow from the grade and listedAt (春节 moves repairableFrom), in the view and the event', async () => {
    const res = await publish(STATS, statsEntry(1, { grade: 'general' }));
    expect(res.status).toBe(201);
    const entry = await read(STATS, res.body.id);
    expect(entry).toMatchObject({
      grade: 'general',
      gradeLabel: '一般',
      listedAt: '2025-11-14',
      validUntil: '2026-11-14', // no validity of its own: valid while published (not the list type's 365 days)
      publicUntil: '2026-11-14',
      repairableFrom: '2026-02-24', // the minimum ends Sat 02-14; 02-15…02-23 are the Spring Festival holiday
    });
    const [listed] = await eventsOf(res.body.id);
    expect(listed).toMatchObject({
      type: 'jrp.list-entry.listed',
      data: { grade: 'general', publicUntil: '2026-11-14', repairableFrom: '2026-02-24' },
    });

    // without a grade: the list type's default (serious); the entry's own shorter validity ends publication
    const serious = await publish(STATS, statsEntry(2, { listedAt: '2026-03-10' }));
    expect(await read(STATS, serious.body.id)).toMatchObject({
      grade: 'serious',
      publicUntil: '2029-03-10',
      repairableFrom: '2027-03-11',
    });
    const short = await publish(STATS, statsEntry(3, { listedAt: '2026-03-10', validUntil: '2026-09-30' }));
    expect(await read(STATS, short.body.id)).toMatchObject({ grade: 'serious', publicUntil: '2026-09-30' });
  });

  it('refuses a grade the list type does not allow with a field error on grade, storing nothing', async () => {
    const ungraded = await publish(TAX, taxEntry(10, { grade: 'general' }));
    expect(ungraded.status).toBe(400);
    expect(ungraded.body.errors).toEqual([
      { field: 'grade', message: expect.stringMatching(/不分失信等级/) as string },
    ]);
    const unknown = await publish(STATS, statsEntry(10, { grade: '严重' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('grade');
    expect(
      await lists.count(`SELECT * FROM list_entries WHERE document_no IN ($1, $2)`, [
        taxEntry(10).documentNo,
        statsEntry(10).documentNo,
      ]),
    ).toBe(0);
  });

  it('replays change nothing: the same key replays, the same decision again is unchanged, no second event', async () => {
    const body = statsEntry(20, { grade: 'minor', listedAt: '2026-11-02' });
    const first = await publish(STATS, body, 'rules-replay-20');
    const replay = await publish(STATS, body, 'rules-replay-20');
    expect(replay.body).toEqual(first.body);
    const again = await publish(STATS, body);
    expect(again.body).toMatchObject({ id: first.body.id, version: 1, outcome: 'unchanged' });
    expect((await eventsOf(first.body.id)).map((e) => e.type)).toEqual(['jrp.list-entry.listed']);
  });

  it('hides a graded entry from the public view after publicUntil, and expires it then (repair on application)', async () => {
    // minor: published three months at most; listed far enough back that publicUntil has passed
    const listedAt = '2026-01-05';
    const past = await publish(STATS, statsEntry(30, { grade: 'minor', listedAt }));
    const publicUntil = (await read(STATS, past.body.id)).publicUntil as string;
    expect(publicUntil).toBe(addMonths(listedAt, 3));
    const current = await publish(STATS, statsEntry(31, { grade: 'serious', listedAt: today }));
    expect(current.status).toBe(201);
    expect(await publicNames('统计规则测试公司3')).toEqual(['统计规则测试公司31']);

    // the expiry job: the day of publicUntil keeps it, the day after expires it, by its publication period
    const job = suite.app.get(ExpiryJob);
    await job.runOnce(new Date(`${publicUntil}T12:00:00+08:00`));
    expect((await read(STATS, past.body.id)).status).toBe('active');
    await job.runOnce(new Date(`${publicUntil}T23:59:59+08:00`));
    expect((await read(STATS, past.body.id)).status).toBe('active');
    await job.runOnce(new Date(Date.parse(`${publicUntil}T00:00:00+08:00`) + 86_400_000 + 1000));
    expect((await read(STATS, past.body.id)).status).toBe('expired');
    const history = (await (await suite.api.as(STATS)).get(`/api/v1/lists/entries/${past.body.id}/history`)).body
      .items as { action: string; reason: string }[];
    expect(history.at(-1)).toMatchObject({ action: 'expired', reason: expect.stringContaining('公示期至') as string });
    expect((await read(STATS, current.body.id)).status).toBe('active');
  });

  it('refuses the 2018 steps on a list type repaired on application; removal still works', async () => {
    const e = await publish(STATS, statsEntry(40, { listedAt: '2020-01-06' }));
    const res = await step(STATS, e.body.id, { action: 'move-to-watch' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/application/);
    expect((await step(STATS, e.body.id, { action: 'remove' })).status).toBe(200);
  });

  it('keeps the 2018 path as it was: ungraded entries, events without the new fields, the repair steps', async () => {
    const e = await publish(TAX, taxEntry(50));
    expect(e.status).toBe(201);
    expect(await read(TAX, e.body.id)).toMatchObject({ grade: null, publicUntil: null, repairableFrom: null });
    const [listed] = await eventsOf(e.body.id);
    expect(listed.data).not.toHaveProperty('grade');
    expect(listed.data).not.toHaveProperty('publicUntil');
    expect(listed.data).not.toHaveProperty('repairableFrom');
    expect((await step(TAX, e.body.id, { action: 'move-to-watch' })).status).toBe(200);
    expect((await step(TAX, e.body.id, { action: 'record-commitment', text: '承诺' })).status).toBe(200);
    const done = await step(TAX, e.body.id, { action: 'record-training', provider: '安徽省信用协会', hours: 8 });
    expect(done.body).toMatchObject({ status: 'removed' });
  });

  describe('a catalogue version changing rule sets', () => {
    const ungradedBefore: string[] = [];

    beforeAll(async () => {
      ungradedBefore.push((await publish(TAX, taxEntry(60, { listedAt: '2026-11-02' }))).body.id);
      // the office grades the tax list while keeping it on the 2018 path, and lengthens a statistics grade
      const office = await suite.api.as(OFFICE);
      const draft = (await office.get('/api/v1/catalogue/draft')).body.document as {
        listTypes: Record<string, unknown>[];
      };
      for (const l of draft.listTypes) {
        if (l.code === 'BL-TAX-MAJOR-CASE')
          Object.assign(l, {
            grades: [
              { grade: 'general', minimumMonths: 3, maximumMonths: 12 },
              { grade: 'serious', minimumMonths: 12, maximumMonths: 36 },
            ],
            defaultGrade: 'general',
          });
        if (l.code === 'BL-STATISTICS')
          Object.assign(l, {
            grades: [
              { grade: 'general', minimumMonths: 6, maximumMonths: 18 },
              { grade: 'serious', minimumMonths: 12, maximumMonths: 60 },
            ],
          });
      }
      const token = await suite.api.tokenOf(OFFICE);
      const put = await suite.api
        .http()
        .put('/api/v1/catalogue/draft')
        .set('Authorization', `Bearer ${token}`)
        .send(draft);
      expect(put.status).toBe(200);
      expect(put.body.problems).toEqual([]);
      const published = await office.post('/api/v1/catalogue/versions', { note: '规则集：税务名单分级' });
      expect(published.status).toBe(201);
      const version = published.body.version as number;
      const diff = (await office.get(`/api/v1/catalogue/versions/${version - 1}/diff/${version}`)).body;
      expect(
        (diff.listTypes.changed as { code: string; fields: string[] }[]).map((c) => [c.code, c.fields]).sort(),
      ).toEqual([
        ['BL-STATISTICS', ['grades']],
        ['BL-TAX-MAJOR-CASE', ['grades', 'defaultGrade']],
      ]);
      await waitFor(
        'list-ingestion on the new catalogue version',
        async () =>
          (await lists.query<{ version: number }>('SELECT version FROM catalogue_state'))[0]?.version === version,
      );
    });

    it('list-ingestion follows it: new entries take the new rules, entries listed before keep theirs', async () => {
      const stats = await publish(STATS, statsEntry(70, { grade: 'general', listedAt: '2026-03-10' }));
      expect(await read(STATS, stats.body.id)).toMatchObject({
        publicUntil: '2027-09-10',
        repairableFrom: '2026-09-11',
      });
      const minor = await publish(STATS, statsEntry(71, { grade: 'minor' }));
      expect(minor.status).toBe(400); // no longer allowed
      expect(await read(STATS, (await publish(STATS, statsEntry(1, { grade: 'general' }))).body.id)).toMatchObject({
        publicUntil: '2026-11-14', // listed under version 1's periods: the same decision again keeps its dates
        version: 1,
      });
      expect(await read(TAX, ungradedBefore[0])).toMatchObject({ grade: null, publicUntil: null });
    });

    it('answers a 2018 step before repairableFrom with 409 and the date; after it, the 2018 steps work', async () => {
      const early = await publish(TAX, taxEntry(80, { listedAt: today }));
      const repairableFrom = (await read(TAX, early.body.id)).repairableFrom as string;
      expect(repairableFrom > today).toBe(true);
      const refused = await step(TAX, early.body.id, { action: 'move-to-watch' });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain(repairableFrom);
      expect(refused.body.errors).toEqual([{ field: 'repairableFrom', message: repairableFrom }]);
      // a step dated before repairableFrom is refused too, whatever today is
      const old = await publish(TAX, taxEntry(81, { listedAt: '2025-03-03' }));
      expect(await read(TAX, old.body.id)).toMatchObject({ grade: 'general', repairableFrom: '2025-06-04' });
      expect((await step(TAX, old.body.id, { action: 'move-to-watch', at: '2025-06-03' })).status).toBe(409);
      expect((await step(TAX, old.body.id, { action: 'move-to-watch', at: '2025-06-04' })).status).toBe(200);
      expect((await read(TAX, old.body.id)).status).toBe('watch');
      // the ungraded entry listed before the change takes the 2018 steps as before
      expect((await step(TAX, ungradedBefore[0], { action: 'move-to-watch' })).status).toBe(200);
    });

    it('on the 2018 path a graded entry leaves the public view after publicUntil but expires by validUntil', async () => {
      const e = await publish(TAX, taxEntry(90, { listedAt: '2025-01-10', validUntil: '2030-12-31' }));
      expect(await read(TAX, e.body.id)).toMatchObject({ grade: 'general', publicUntil: '2026-01-10' });
      expect(await publicNames('税务规则测试公司90')).toEqual([]);
      await suite.app.get(ExpiryJob).runOnce();
      expect((await read(TAX, e.body.id)).status).toBe('active');
    });

    it('a correction of the grade recomputes the dates and announces them', async () => {
      const e = await publish(TAX, taxEntry(95, { listedAt: '2026-03-10' }));
      const token = await suite.api.tokenOf(TAX);
      const patched = await suite.api
        .http()
        .patch(`/api/v1/lists/entries/${e.body.id}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ correctionReason: '等级认定有误', grade: 'serious' });
      expect(patched.status).toBe(200);
      expect(await read(TAX, e.body.id)).toMatchObject({
        grade: 'serious',
        publicUntil: '2029-03-10',
        repairableFrom: '2027-03-11',
      });
      const events = await eventsOf(e.body.id);
      expect(events.at(-1)).toMatchObject({
        type: 'jrp.list-entry.updated',
        data: { grade: 'serious', publicUntil: '2029-03-10', repairableFrom: '2027-03-11' },
      });
      const refused = await suite.api
        .http()
        .patch(`/api/v1/lists/entries/${e.body.id}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ correctionReason: '改为轻微', grade: 'minor' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].field).toBe('grade');
    });
  });

  // last: it takes the schemas back to before rule sets and migrates them again
  it('migrates an installation from before rule sets: the 2018 path from repairable, entries ungraded', async () => {
    const runner = (probe: SchemaProbe) =>
      ({ query: (sql: string, params?: unknown[]) => probe.query(sql, params) }) as unknown as QueryRunner;
    const measures = new ListTypeRules1764300000191();
    await measures.down(runner(suite.measures));
    await measures.up(runner(suite.measures));
    const types = await suite.measures.query<{ code: string; repairable: boolean; repair_path: string }>(
      `SELECT code, repairable, repair_path FROM list_types WHERE procedure = 'direct' AND grades = '[]' ORDER BY code`,
    );
    expect(types).toHaveLength(9);
    for (const t of types) expect(t.repair_path).toBe(t.repairable ? 'watch-list-2018' : 'none');
    expect(types.find((t) => t.code === 'BL-STATISTICS')).toMatchObject({ repair_path: 'watch-list-2018' });

    const copy = new GradedEntries1764300000192();
    await copy.down(runner(lists));
    await copy.up(runner(lists));
    const known = await lists.query<{ repairable: boolean; repair_path: string }>(
      `SELECT repairable, repair_path FROM known_list_types`,
    );
    expect(known.length).toBeGreaterThan(0);
    for (const t of known) expect(t.repair_path).toBe(t.repairable ? 'watch-list-2018' : 'none');
    expect(await lists.count(`SELECT * FROM list_entries WHERE grade IS NOT NULL OR public_until IS NOT NULL`)).toBe(0);
    expect(await lists.count(`SELECT * FROM list_entries`)).toBeGreaterThan(0);
  });
});
