import ExcelJS from 'exceljs';
import { rawBody } from '@jrp/testing';
import { basisProblems, LEGACY_PENDING_REASON } from '../../apps/measures/src/catalogue/versions/measure-basis';
import { MeasureBasis1764300000241 } from '../../apps/measures/src/migrations/1764300000241-measure-basis';
import { useStandalone } from '../support/standalone';

const OFFICE = 'AH-CREDIT-OFFICE';
const LEGAL_KINDS = ['law', 'administrative-regulation', 'local-regulation', 'central-policy'];

interface Measure {
  code: string;
  kind: 'punishment' | 'reward';
  legalBasis: string[];
  basis: { kind: string; document: string; number: string | null; article: string | null }[];
  source: { memorandum: string | null; baseList: { edition: string; item: string } | null; catalogue: string };
  basisPending: boolean;
  basisPendingReason: string | null;
}

/**
 * The legal basis and source of every measure (issue 19 part 1): publishing refuses a punishment
 * without a basis of kind law, regulation or central policy unless it is basisPending with a reason;
 * the reads, the workbook and the national base list's import carry them.
 */
describe('measure basis (依据) and source (来源)', () => {
  const suite = useStandalone('basis');
  const http = () => suite.api.http();
  const token = () => suite.api.tokenOf(OFFICE);
  const get = async (path: string) =>
    http()
      .get(path)
      .set('Authorization', `Bearer ${await token()}`);
  const put = async (path: string, body: object) =>
    http()
      .put(path)
      .set('Authorization', `Bearer ${await token()}`)
      .send(body);
  const publish = async (note: string) =>
    http()
      .post('/api/v1/catalogue/versions')
      .set('Authorization', `Bearer ${await token()}`)
      .send({ note });
  const versionCount = async () => (await get('/api/v1/catalogue/versions')).body.items.length as number;

  /** A new punishment of the court debtors' list, for the finance department (政府采购). */
  const punishment = (extra: object) => ({
    text: '限制失信被执行人参加政府采购活动',
    kind: 'punishment',
    category: '政府采购',
    memorandum: 'M01',
    listType: 'BL-COURT-DEBTOR',
    implementingOrganizations: ['AH-FINANCE'],
    mappingInferred: false,
    appliesTo: 'subject',
    subjectKinds: ['legal'],
    feedbackDueWorkingDays: 10,
    needsFullIdNumber: false,
    ...extra,
  });
  const memorandumItem = {
    kind: 'memorandum',
    document: '关于对失信被执行人实施联合惩戒的合作备忘录',
    number: '发改财金〔2016〕141号',
  };
  const lawItem = { kind: 'law', document: '中华人民共和国政府采购法', article: '第二十二条' };

  it('seeds every measure with its basis and source: all pass the rule, the uncited ones pending with a reason', async () => {
    const v1 = (await get('/api/v1/catalogue/versions/1')).body as { measures: Measure[] };
    expect(v1.measures).toHaveLength(100);
    expect(basisProblems(v1.measures as never)).toEqual([]);
    for (const m of v1.measures) {
      expect(m.source).toEqual({ memorandum: m.code.slice(0, 3), baseList: null, catalogue: 'national' });
      expect(m.basis.some((b) => b.kind === 'memorandum')).toBe(true);
      const legal = m.basis.some((b) => LEGAL_KINDS.includes(b.kind));
      if (m.kind === 'punishment') expect(legal || (m.basisPending && !!m.basisPendingReason)).toBe(true);
      else expect(m.basisPending).toBe(false); // rewards need no legal basis
      // an item of a legal kind is one the memorandum itself cites, never an invented article
      for (const b of m.basis.filter((x) => LEGAL_KINDS.includes(x.kind)))
        expect(
          m.legalBasis.some(
            (c) => c.includes(b.document.replace(/^中华人民共和国/, '')) && (!b.article || c.includes(b.article)),
          ),
        ).toBe(true);
    }
    const m0202 = v1.measures.find((m) => m.code === 'M02-02')!;
    expect(m0202).toMatchObject({
      basis: [
        { kind: 'law', document: '中华人民共和国税收征收管理法', number: null, article: '第四十四条' },
        { kind: 'administrative-regulation', document: '中华人民共和国税收征收管理法实施细则', article: '第七十四条' },
        { kind: 'memorandum', number: '发改财金〔2014〕3062号' },
      ],
      basisPending: false,
      basisPendingReason: null,
    });
    const draft = (await get('/api/v1/catalogue/draft')).body;
    expect(draft.problems).toEqual([]);
  });

  it('lists the measures whose basis is pending (?basisPending=true), with their reasons', async () => {
    const pending = (await get('/api/v1/catalogue/measures?basisPending=true&limit=500')).body.items as (Measure & {
      id: string;
    })[];
    const confirmed = (await get('/api/v1/catalogue/measures?basisPending=false&limit=500')).body.items as Measure[];
    expect(pending).toHaveLength(77);
    expect(confirmed).toHaveLength(23); // 4 punishments on laws and regulations, 19 rewards
    expect(pending.every((m) => m.kind === 'punishment' && m.basisPendingReason?.includes('待核对'))).toBe(true);
    expect(pending.find((m) => m.id === 'M01-10')?.basisPendingReason).toContain('推断');
    expect((await get('/api/v1/catalogue/measures?basisPending=maybe')).status).toBe(400);
  });

  it('refuses a version with a punishment without a legal basis (400 listing each), publishes nothing', async () => {
    const before = await versionCount();
    expect((await put('/api/v1/catalogue/draft/measures/M01-90', punishment({ basis: [memorandumItem] }))).status).toBe(
      200,
    );
    expect((await put('/api/v1/catalogue/draft/measures/M01-91', punishment({}))).status).toBe(200);
    const res = await publish('两项新惩戒措施');
    expect(res.status).toBe(400);
    const lacks = expect.stringContaining(
      'a punishment needs a basis of kind law, administrative-regulation, local-regulation or central-policy',
    );
    expect(res.body.errors).toEqual([
      { field: 'measures.M01-90.basis', message: lacks },
      { field: 'measures.M01-91.basis', message: lacks },
    ]);
    expect(await versionCount()).toBe(before);
    // the draft shows the same problems before anyone publishes
    expect((await get('/api/v1/catalogue/draft')).body.problems).toEqual([
      { path: 'measures.M01-90.basis', message: lacks },
      { path: 'measures.M01-91.basis', message: lacks },
    ]);
    // pending without a reason is refused too
    await put('/api/v1/catalogue/draft/measures/M01-90', punishment({ basis: [memorandumItem], basisPending: true }));
    expect((await publish('x')).body.errors).toContainEqual({
      field: 'measures.M01-90.basis',
      message: 'basisPending needs a basisPendingReason',
    });
  });

  it('answers 400 with field-level messages for a malformed basis, leaving the draft as it was', async () => {
    const before = (await get('/api/v1/catalogue/draft')).body.document;
    const res = await put(
      '/api/v1/catalogue/draft/measures/M01-92',
      punishment({ basis: [{ kind: 'rule', document: '' }], source: { catalogue: 'county' } }),
    );
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['basis.0.kind', 'basis.0.document', 'source.catalogue']));
    expect((await get('/api/v1/catalogue/draft')).body.document).toEqual(before);
  });

  it('publishes with basisPending and a reason, and the reads show basis, source and the pending reason', async () => {
    const reason = '备忘录未列明法律条款，待核对失信惩戒措施基础清单';
    await put(
      '/api/v1/catalogue/draft/measures/M01-90',
      punishment({ basis: [memorandumItem], basisPending: true, basisPendingReason: reason }),
    );
    await put(
      '/api/v1/catalogue/draft/measures/M01-91',
      punishment({
        text: '限制失信被执行人参加招标投标',
        basis: [lawItem, memorandumItem],
        source: { memorandum: 'M01', baseList: { edition: '2024', item: '12' }, catalogue: 'national' },
      }),
    );
    const res = await publish('两项新惩戒措施，一项依据待核对');
    expect(res.status).toBe(201);
    const version = res.body.version as number;

    const live = (await get('/api/v1/catalogue/measures?memorandum=M01&limit=500')).body.items as (Measure & {
      id: string;
    })[];
    expect(live.find((m) => m.id === 'M01-90')).toMatchObject({
      basis: [{ ...memorandumItem, article: null }],
      source: { memorandum: null, baseList: null, catalogue: 'provincial' },
      basisPending: true,
      basisPendingReason: reason,
      legalBasis: [],
    });
    expect(live.find((m) => m.id === 'M01-91')).toMatchObject({
      basis: [
        { ...lawItem, number: null },
        { ...memorandumItem, article: null },
      ],
      source: { memorandum: 'M01', baseList: { edition: '2024', item: '12' }, catalogue: 'national' },
      basisPending: false,
      basisPendingReason: null,
      legalBasis: ['中华人民共和国政府采购法第二十二条'], // derived from the items for old readers
    });
    const pending = (await get('/api/v1/catalogue/measures?basisPending=true&limit=500')).body.items as {
      id: string;
    }[];
    expect(pending.map((m) => m.id)).toContain('M01-90');
    expect(pending.map((m) => m.id)).not.toContain('M01-91');

    const doc = (await get(`/api/v1/catalogue/versions/${version}`)).body as { measures: Measure[] };
    expect(doc.measures.find((m) => m.code === 'M01-90')).toMatchObject({
      basisPending: true,
      basisPendingReason: reason,
    });
    const diff = (await get(`/api/v1/catalogue/versions/${version - 1}/diff/${version}`)).body;
    expect(diff.measures.added.map((m: Measure) => [m.code, m.basisPending])).toEqual([
      ['M01-90', true],
      ['M01-91', false],
    ]);
  });

  it('round-trips basis and source through the workbook, and imports the national base list in its documented form', async () => {
    const latest = (await get('/api/v1/catalogue/versions')).body.items.at(-1).version as number;
    const exported = await http()
      .get(`/api/v1/catalogue/versions/${latest}?format=xlsx`)
      .set('Authorization', `Bearer ${await token()}`)
      .buffer(true)
      .parse(rawBody);
    expect(exported.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.body as never);
    const sheet = workbook.getWorksheet('措施')!;
    const headers = sheet.getRow(1).values as unknown[];
    for (const h of ['依据', '来源备忘录', '基础清单版本', '基础清单序号', '来源清单', '依据待核对', '待核对原因'])
      expect(headers).toContain(h);
    const col = (h: string) => headers.indexOf(h);
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(col('编码')).value === 'M01-91')!;
    expect(row.getCell(col('依据')).value).toBe(
      '法律《中华人民共和国政府采购法》第二十二条\n合作备忘录《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
    );
    expect([col('基础清单版本'), col('基础清单序号'), col('来源清单')].map((c) => row.getCell(c).value)).toEqual([
      '2024',
      '12',
      '国家',
    ]);

    // the round trip: the same catalogue back in the draft
    const back = await http()
      .post('/api/v1/catalogue/draft/import')
      .set('Authorization', `Bearer ${await token()}`)
      .attach('file', exported.body as Buffer, 'catalogue.xlsx');
    expect(back.status).toBe(201);
    expect(back.body.document).toEqual((await get(`/api/v1/catalogue/versions/${latest}`)).body);

    // the national base list (失信惩戒措施基础清单) as rows of the 措施 sheet with the documented headers
    workbook.removeWorksheet(sheet.id);
    const base = workbook.addWorksheet('措施');
    // prettier-ignore
    base.addRow(['编码', '措施内容', '类别', '分类', '备忘录', '名单类型', '实施部门', '部门对应为推定', '适用对象', '主体类别',
      '反馈时限（工作日）', '需完整身份证号', '生效日期', '失效日期', '适用范围',
      '依据', '来源备忘录', '基础清单版本', '基础清单序号', '来源清单', '依据待核对', '待核对原因']);
    const common = [
      '惩戒',
      '政府采购',
      'M01',
      'BL-COURT-DEBTOR',
      'AH-FINANCE',
      '否',
      '主体',
      '法人',
      '10',
      '否',
      '',
      '',
      '全省',
    ];
    base.addRow([
      'BL24-012',
      '限制参加政府采购活动',
      ...common,
      '法律《中华人民共和国政府采购法》第二十二条',
      'M01',
      '2024',
      '12',
      '国家',
      '否',
      '',
    ]);
    base.addRow(['BL24-013', '限制取得政府供应土地', ...common, '', '', '2024', '13', '国家', '否', '']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const imported = await http()
      .post('/api/v1/catalogue/draft/import')
      .set('Authorization', `Bearer ${await token()}`)
      .attach('file', file, 'base-list-2024.xlsx');
    expect(imported.status).toBe(201);
    expect(imported.body.document.measures).toEqual([
      expect.objectContaining({
        code: 'BL24-012',
        basis: [{ kind: 'law', document: '中华人民共和国政府采购法', number: null, article: '第二十二条' }],
        source: { memorandum: 'M01', baseList: { edition: '2024', item: '12' }, catalogue: 'national' },
        legalBasis: ['中华人民共和国政府采购法第二十二条'],
      }),
      expect.objectContaining({ code: 'BL24-013', basis: [], basisPending: false }),
    ]);
    // the item without a basis is what stops the version, until the office marks it pending
    expect(imported.body.problems).toEqual([
      { path: 'measures.BL24-013.basis', message: expect.stringContaining('a punishment needs a basis') },
    ]);
    expect((await publish('2024 基础清单')).status).toBe(400);
  });

  it('on an installation from before: the migration completes the live catalogue, readers complete old documents', async () => {
    // an old draft (the seed's version 1 as stored before): its measures without the basis fields (published versions are immutable; they read the same way)
    await suite.measures.query(
      `UPDATE catalogue_draft SET document = jsonb_set(v.document, '{measures}', (
         SELECT jsonb_agg(m - 'basis' - 'source' - 'basisPending' - 'basisPendingReason') FROM jsonb_array_elements(v.document->'measures') m))
       FROM catalogue_versions v WHERE v.version = 1`,
    );
    const draft = (await get('/api/v1/catalogue/draft')).body;
    const m0202 = (draft.document.measures as Measure[]).find((m) => m.code === 'M02-02')!;
    expect(m0202).toMatchObject({
      basis: [],
      source: { memorandum: 'M02', baseList: null, catalogue: 'provincial' },
      basisPending: true,
      basisPendingReason: LEGACY_PENDING_REASON,
    });
    expect(m0202.legalBasis).toHaveLength(2); // the old citations, kept
    expect(
      (draft.document.measures as Measure[]).filter((m) => m.kind === 'reward').every((m) => !m.basisPending),
    ).toBe(true);
    expect(draft.problems).toEqual([]);

    // the live catalogue without the columns, as before the migration; then the migration
    await suite.measures.query(
      `ALTER TABLE measures DROP COLUMN basis, DROP COLUMN source, DROP COLUMN basis_pending, DROP COLUMN basis_pending_reason`,
    );
    const runner = { query: (sql: string, params?: unknown[]) => suite.measures.query(sql, params) } as never;
    await new MeasureBasis1764300000241().up(runner);
    const rows = await suite.measures.query<{
      kind: string;
      source: object;
      basis_pending: boolean;
      reason: string | null;
      basis: unknown[];
    }>(
      `SELECT kind, source, basis, basis_pending, basis_pending_reason AS reason FROM measures WHERE code IN ('M02-02', 'M07-01') ORDER BY code`,
    );
    expect(rows).toEqual([
      {
        kind: 'punishment',
        source: { memorandum: 'M02', baseList: null, catalogue: 'provincial' },
        basis: [],
        basis_pending: true,
        reason: LEGACY_PENDING_REASON,
      },
      {
        kind: 'reward',
        source: { memorandum: 'M07', baseList: null, catalogue: 'provincial' },
        basis: [],
        basis_pending: false,
        reason: null,
      },
    ]);
  });
});
