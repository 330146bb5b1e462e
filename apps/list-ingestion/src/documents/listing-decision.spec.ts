import { Entry } from '../entries/entry';
import { listingDecision, renderListingDecision } from './listing-decision';
import { escapeHtml, htmlPage } from './page-shell';

const entry = (over: Partial<Entry> = {}): Entry => ({
  id: '7d7b0a7e-7d3c-4f0e-9a43-0d5f0e1f3a12',
  version: 3,
  listType: 'BL-STATISTICS',
  status: 'active',
  disputed: false,
  subjectKey: 'k',
  subjectKind: 'natural',
  subjectName: '张<script>alert(1)</script>',
  subjectUscc: null,
  subjectIdType: 'resident-id',
  subjectIdNumberEncrypted: 'ciphertext',
  subjectIdNumberMasked: '340104************',
  legalRepName: null,
  legalRepIdType: null,
  legalRepIdNumberEncrypted: null,
  legalRepIdNumberMasked: null,
  reason: '统计造假 & 拒报',
  decidedBy: '安徽省统计局',
  identificationLevel: 'provincial',
  documentNo: '皖统罚〔2026〕1号',
  listedAt: '2026-11-23',
  validUntil: '2029-11-23',
  amount: null,
  region: '340104',
  publishedBy: 'AH-STATS',
  commitment: null,
  training: null,
  grade: 'serious',
  publicUntil: '2029-11-23',
  repairableFrom: '2027-11-24',
  notice: { servedOn: '2026-11-13', documentNo: null, servedOutside: false },
  statementDeadline: '2026-11-20',
  statement: { text: '已补报 "数据"', at: '2026-11-18T02:00:00.000Z', contact: null, recordedBy: 'AH-STATS' },
  decision: { outcome: 'listed', at: '2026-11-23', reason: '申辩理由不成立，不予采纳', by: 'AH-STATS' },
  ...over,
});
const listType = {
  code: 'BL-STATISTICS',
  name: '统计领域严重失信企业',
  colour: 'black' as const,
  basis: { document: '统计严重失信企业信用管理办法', article: '第七条' },
  removalConditions: '公示期满自动移出',
  remedies: '可依法申请行政复议或提起行政诉讼',
};
const input = (over: Partial<Entry> = {}) => ({
  entry: entry(over),
  listType,
  measures: [{ code: 'M1', text: '限制<申请>财政资金', kind: 'punishment' as const, implementers: ['安徽省财政厅'] }],
  decidingOrganizationName: '安徽省统计局',
});

describe('listing decision document (列入决定书)', () => {
  it('states reasons, basis, measures, grade and period, removal conditions, remedies, statement and decision', () => {
    expect(listingDecision(input())).toMatchObject({
      title: '列入严重失信主体名单决定书',
      documentNo: '皖统罚〔2026〕1号',
      subject: { name: '张<script>alert(1)</script>', idType: 'resident-id', idNumber: '340104************' },
      reasons: '统计造假 & 拒报',
      basis: listType.basis,
      measures: [{ code: 'M1', implementers: ['安徽省财政厅'] }],
      grade: 'serious',
      gradeLabel: '严重',
      publicUntil: '2029-11-23',
      repairableFrom: '2027-11-24',
      removalConditions: listType.removalConditions,
      remedies: listType.remedies,
      notice: { servedOn: '2026-11-13', statementDeadline: '2026-11-20' },
      statement: { text: '已补报 "数据"' },
      considered: '申辩理由不成立，不予采纳',
      decidingOrganization: { code: 'AH-STATS', name: '安徽省统计局' },
      decidedAt: '2026-11-23',
    });
  });

  it.each([
    [
      'direct listing: decided at listedAt by the publisher, no notice',
      { notice: null, statementDeadline: null, statement: null, decision: null },
      { decidedAt: '2026-11-23', considered: null, notice: null },
    ],
  ])('%s', (_, over, expected) => {
    expect(listingDecision(input(over as Partial<Entry>))).toMatchObject(expected);
  });

  it('titles a red list’s decision by the list', () => {
    expect(
      listingDecision({ ...input(), listType: { ...listType, colour: 'red', name: '纳税信用A级纳税人名单' } }),
    ).toMatchObject({ title: '列入纳税信用A级纳税人名单决定书' });
  });

  it.each([
    ['noticed', /拟列入/],
    ['withdrawn', /已撤回/],
  ] as const)('has no decision while %s', (status, reason) => {
    expect(listingDecision(input({ status }))).toEqual({ refused: expect.stringMatching(reason) as string });
  });

  it('never carries the encrypted ID number', () => {
    expect(JSON.stringify(listingDecision(input()))).not.toContain('ciphertext');
  });

  it('renders a Chinese page with every value escaped', () => {
    const doc = listingDecision(input());
    if ('refused' in doc) throw new Error(doc.refused);
    const html = renderListingDecision(doc);
    for (const heading of [
      '列入严重失信主体名单决定书',
      '当事人',
      '列入事由',
      '列入依据',
      '陈述申辩',
      '移出条件',
      '救济途径',
    ])
      expect(html).toContain(heading);
    expect(html).toContain('张&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('统计造假 &amp; 拒报');
    expect(html).toContain('限制&lt;申请&gt;财政资金');
    expect(html).toContain('已补报 &quot;数据&quot;');
    expect(html).toContain('340104************');
    expect(html).toContain('严重');
    expect(html).toContain('2029-11-23');
  });

  it('keeps $-patterns in values as they are', () => {
    const doc = listingDecision(input({ subjectName: "A$&B$'C" }));
    if ('refused' in doc) throw new Error(doc.refused);
    expect(renderListingDecision(doc)).toContain('A$&amp;B$&#39;C');
  });
});

describe('page shell', () => {
  it.each([
    ['<a href="x">&\'', '&lt;a href=&quot;x&quot;&gt;&amp;&#39;'],
    [null, ''],
    [42, '42'],
  ] as const)('escapes %j', (value, expected) => expect(escapeHtml(value)).toBe(expected));

  it('escapes the title and document number', () => {
    const page = htmlPage('<t>', '<n>', '<p>body</p>');
    expect(page).toContain('<title>&lt;t&gt;</title>');
    expect(page).toContain('&lt;n&gt;');
    expect(page).toContain('<html lang="zh-CN">');
  });
});
