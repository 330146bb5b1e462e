import { RepairDecisionInput, renderRepairDecisionHtml, repairDecisionDocument } from './repair-decision';

const input: RepairDecisionInput = {
  applicationId: '6f1c2d3e-0000-4000-8000-000000000001',
  status: 'approved',
  subjectName: '安徽<某某>&统计公司',
  subjectIdentifier: '340104************',
  listTypeName: '统计领域严重失信企业名单',
  documentNo: '皖统罚〔2026〕1号',
  listedAt: '2025-11-14',
  gradeLabel: '一般',
  repairableFrom: '2026-02-24',
  filedOn: '2026-03-02',
  evidence: '已更正统计数据 <script>alert(1)</script>',
  commitment: '本单位承诺依法诚信统计',
  decidingOrganization: '安徽省统计局',
  decidedAt: '2026-03-05T02:00:00.000Z',
  decisionReason: '已纠正失信行为',
  basis: { document: '统计法', article: '第九条' },
  remedies: '行政复议、行政诉讼',
};

describe('信用修复决定书', () => {
  it.each([
    ['approved', '准予信用修复', /停止公示/],
    ['rejected', '不予信用修复', /继续公示/],
    ['pending', '尚未决定', /审查中/],
  ] as const)('%s: the decision %s and its consequence', (status, decision, consequence) => {
    const doc = repairDecisionDocument({ ...input, status });
    expect(doc.decision).toBe(decision);
    expect(doc.sections.find((s) => s.heading === '决定')!.text).toMatch(consequence);
  });

  it('names the entry, the dates, the basis, the remedies and the deciding department', () => {
    const doc = repairDecisionDocument(input);
    expect(doc.sections.map((s) => s.heading)).toEqual([
      '申请人',
      '失信信息',
      '申请日期',
      '纠正失信行为、履行法定义务的证明',
      '信用承诺',
      '决定',
      '理由',
      '依据',
      '救济途径',
      '决定机关',
    ]);
    expect(doc.sections[1].text).toBe(
      '统计领域严重失信企业名单，认定文号 皖统罚〔2026〕1号，列入日期 2025-11-14，失信等级 一般，可申请修复日期 2026-02-24',
    );
    expect(doc.sections.at(-1)!.text).toBe('安徽省统计局\u30002026-03-05');
  });

  it('leaves out what is absent (no reason, basis or remedies yet)', () => {
    const doc = repairDecisionDocument({
      ...input,
      status: 'pending',
      decisionReason: null,
      basis: null,
      remedies: null,
      decidedAt: null,
    });
    expect(doc.sections.map((s) => s.heading)).not.toEqual(expect.arrayContaining(['理由']));
    expect(doc.sections.some((s) => ['依据', '救济途径'].includes(s.heading))).toBe(false);
  });

  it('escapes every value in the HTML and carries only the masked number', () => {
    const html = renderRepairDecisionHtml(repairDecisionDocument(input));
    expect(html).toContain('<title>信用修复决定书</title>');
    expect(html).toContain('安徽&lt;某某&gt;&amp;统计公司（340104************）');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });
});
