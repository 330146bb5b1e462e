import {
  BasisItem,
  basisProblems,
  completeLegacyBasis,
  formatBasisItem,
  LEGACY_PENDING_REASON,
  legalBasisOf,
  MeasureBasisFields,
  parseBasisCell,
  parseBasisItem,
} from './measure-basis';

const law: BasisItem = { kind: 'law', document: '中华人民共和国政府采购法', number: null, article: '第二十二条' };
const regulation: BasisItem = { ...law, kind: 'administrative-regulation', document: '期货交易管理条例' };
const local: BasisItem = { ...law, kind: 'local-regulation', document: '安徽省社会信用条例' };
const policy: BasisItem = { ...law, kind: 'central-policy', document: '社会信用体系建设规划纲要（2014—2020年）' };
const memo: BasisItem = {
  kind: 'memorandum',
  document: '关于对失信被执行人实施联合惩戒的合作备忘录',
  number: '发改财金〔2016〕141号',
  article: null,
};
const source: MeasureBasisFields['source'] = { memorandum: 'M01', baseList: null, catalogue: 'national' };
const LACKS =
  'a punishment needs a basis of kind law, administrative-regulation, local-regulation or central-policy, or basisPending with a reason';

describe('basisProblems: a punishment rests on a law, a regulation or a central policy (国办发〔2020〕49号)', () => {
  const cases: [string, 'punishment' | 'reward', BasisItem[], boolean, string | null, string | null][] = [
    // name, kind, basis, basisPending, basisPendingReason, expected message (null: publishable)
    ['punishment on a law', 'punishment', [law, memo], false, null, null],
    ['punishment on an administrative regulation', 'punishment', [regulation], false, null, null],
    ['punishment on a local regulation', 'punishment', [local], false, null, null],
    ['punishment on a central policy document', 'punishment', [policy], false, null, null],
    ['punishment on a memorandum alone', 'punishment', [memo], false, null, LACKS],
    ['punishment with no basis', 'punishment', [], false, null, LACKS],
    ['punishment pending with a reason', 'punishment', [memo], true, '备忘录未列明法律条款', null],
    [
      'punishment pending without a reason',
      'punishment',
      [memo],
      true,
      null,
      'basisPending needs a basisPendingReason',
    ],
    ['punishment pending with a blank reason', 'punishment', [], true, '  ', 'basisPending needs a basisPendingReason'],
    [
      'a reason without pending',
      'punishment',
      [law],
      false,
      '待核对',
      'basisPendingReason is given but the measure is not basisPending',
    ],
    ['reward on its memorandum', 'reward', [memo], false, null, null],
    ['reward with no basis at all', 'reward', [], false, null, null],
    [
      'an item naming no document',
      'punishment',
      [law, { ...law, document: ' ' }],
      false,
      null,
      'item 2: names no document',
    ],
    [
      'a legal item naming no document does not count',
      'punishment',
      [{ ...law, document: '' }],
      false,
      null,
      `item 1: names no document; ${LACKS}`,
    ],
    ['an unknown kind', 'reward', [{ ...memo, kind: 'rule' as never }], false, null, 'item 1: unknown kind rule'],
  ];
  it.each(cases)('%s', (_name, kind, basis, basisPending, basisPendingReason, expected) => {
    const problems = basisProblems([{ code: 'M01-01', kind, basis, source, basisPending, basisPendingReason }]);
    expect(problems).toEqual(expected === null ? [] : [{ code: 'M01-01', message: expected }]);
  });

  it('lists every offending measure by code', () => {
    const problems = basisProblems([
      { code: 'A', kind: 'punishment', basis: [memo], source, basisPending: false, basisPendingReason: null },
      { code: 'B', kind: 'punishment', basis: [law], source, basisPending: false, basisPendingReason: null },
      { code: 'C', kind: 'punishment', basis: [], source, basisPending: false, basisPendingReason: null },
    ]);
    expect(problems.map((p) => p.code)).toEqual(['A', 'C']);
  });
});

describe('the compact form of a basis item in the workbook', () => {
  it.each([
    [law, '法律《中华人民共和国政府采购法》第二十二条'],
    [memo, '合作备忘录《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）'],
    [{ ...regulation, number: '国务院令第489号', article: null }, '行政法规《期货交易管理条例》（国务院令第489号）'],
    [{ ...local, article: '第三十条第一款' }, '地方性法规《安徽省社会信用条例》第三十条第一款'],
    [policy, '中央政策文件《社会信用体系建设规划纲要（2014—2020年）》第二十二条'],
  ])('%j ⇄ %s', (item, text) => {
    expect(formatBasisItem(item)).toBe(text);
    expect(parseBasisItem(text)).toEqual(item);
  });

  it('reads a cell of several items, one a line or separated by ；', () => {
    expect(parseBasisCell(`${formatBasisItem(law)}\n${formatBasisItem(memo)}；${formatBasisItem(policy)}`)).toEqual([
      law,
      memo,
      policy,
    ]);
    expect(parseBasisCell('')).toEqual([]);
  });

  it.each(['政府采购法第二十二条', '规章《某办法》第一条', '法律《》第一条'])('refuses %s, saying the form', (text) => {
    expect(() => parseBasisItem(text)).toThrow(/应写作 类型《文件名称》（文号）条款/);
  });
});

describe('legalBasisOf: the citations old readers see', () => {
  it('lists the items other than the memorandum, document and article', () => {
    expect(legalBasisOf([law, memo, { ...regulation, article: null }])).toEqual([
      '中华人民共和国政府采购法第二十二条',
      '期货交易管理条例',
    ]);
  });
});

describe('completeLegacyBasis: a measure written before structured bases', () => {
  const old = { code: 'M01-01', memorandum: 'M01', scopeRegion: null, legalBasis: ['某法'] };
  it('makes a punishment pending, its memorandum the source, nothing invented', () => {
    expect(completeLegacyBasis({ ...old, kind: 'punishment' as const })).toEqual({
      ...old,
      kind: 'punishment',
      basis: [],
      source: { memorandum: 'M01', baseList: null, catalogue: 'provincial' },
      basisPending: true,
      basisPendingReason: LEGACY_PENDING_REASON,
    });
  });
  it('leaves a reward not pending; a city measure’s source is the city catalogue', () => {
    expect(completeLegacyBasis({ ...old, kind: 'reward' as const, scopeRegion: '340100' })).toMatchObject({
      source: { catalogue: 'city' },
      basisPending: false,
      basisPendingReason: null,
    });
  });
  it('keeps a measure written since as it is', () => {
    const m = { ...old, kind: 'punishment' as const, basis: [law], basisPending: false };
    expect(completeLegacyBasis(m)).toBe(m);
  });
});
