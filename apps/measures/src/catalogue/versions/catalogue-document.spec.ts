import { NATIONAL_GRADE_PERIODS } from '@jrp/contracts';
import { seedDocument } from '../seed/seed-catalogue';
import {
  completeListType,
  diffDocuments,
  documentProblems,
  ListTypeDoc,
  normaliseDocument,
  ruleSetProblems,
} from './catalogue-document';

const seed = seedDocument();
const seedType = (code: string) => seed.listTypes.find((l) => l.code === code)!;
/** A list type as a version published before rule sets stored it. */
const beforeRuleSets = (l: ListTypeDoc) => {
  const { code, name, colour, identifyingOrganization, repairable, defaultValidityDays, subjectKinds, memoranda } = l;
  return { code, name, colour, identifyingOrganization, repairable, defaultValidityDays, subjectKinds, memoranda };
};

describe('the seed’s rule sets', () => {
  it('keeps 失信被执行人 direct / none, the tax list on the 2018 path, and the other black lists on the 2025 rules', () => {
    expect(seedType('BL-COURT-DEBTOR')).toMatchObject({ procedure: 'direct', repairPath: 'none', grades: [] });
    expect(seedType('BL-TAX-MAJOR-CASE')).toMatchObject({ procedure: 'direct', repairPath: 'watch-list-2018' });
    for (const code of [
      'BL-SAFETY-PRODUCTION',
      'BL-FOOD-DRUG',
      'BL-STATISTICS',
      'BL-WAGE-ARREARS',
      'BL-LISTED-COMPANY',
    ])
      expect(seedType(code)).toMatchObject({
        procedure: 'notice-first',
        repairPath: 'application-2025',
        grades: NATIONAL_GRADE_PERIODS,
        defaultGrade: 'serious',
      });
    for (const l of seed.listTypes) expect(ruleSetProblems(l)).toEqual([]);
  });
});

describe('completeListType: documents from before rule sets', () => {
  it.each([
    ['BL-TAX-MAJOR-CASE', 'watch-list-2018'],
    ['BL-COURT-DEBTOR', 'none'],
    ['RL-TAX-GRADE-A', 'none'],
  ])('%s without a rule set reads as the 2018 path (%s)', (code, repairPath) => {
    expect(completeListType(beforeRuleSets(seedType(code)))).toMatchObject({
      repairPath,
      procedure: 'direct',
      grades: [],
      defaultGrade: null,
      objectionHoldsMeasures: false,
    });
  });

  it('derives repairable from the repair path when a client sends only the path', () => {
    const { repairable: _repairable, ...rest } = seedType('BL-STATISTICS');
    expect(completeListType(rest).repairable).toBe(true);
    expect(completeListType({ ...rest, repairPath: 'none', grades: [], defaultGrade: null }).repairable).toBe(false);
  });

  it('diffs an old version against a new one by the rule fields that changed, nothing else', () => {
    const old = normaliseDocument({ ...seed, listTypes: seed.listTypes.map(beforeRuleSets) });
    const tax = old.listTypes.find((l) => l.code === 'BL-TAX-MAJOR-CASE')!;
    const unchanged = diffDocuments(old, normaliseDocument({ ...old }));
    expect(unchanged.listTypes.changed).toEqual([]);
    const next = normaliseDocument({
      ...old,
      listTypes: old.listTypes.map((l) =>
        l === tax
          ? { ...l, repairPath: 'application-2025', grades: [...NATIONAL_GRADE_PERIODS], defaultGrade: 'general' }
          : l,
      ),
    });
    expect(diffDocuments(old, next).listTypes.changed).toEqual([
      expect.objectContaining({ code: 'BL-TAX-MAJOR-CASE', fields: ['repairPath', 'grades', 'defaultGrade'] }),
    ]);
  });
});

describe('ruleSetProblems', () => {
  const black = seedType('BL-STATISTICS');
  const red = seedType('RL-TAX-GRADE-A');
  it.each([
    ['a red list with repair', { ...red, repairPath: 'watch-list-2018', repairable: true }, 'repairPath'],
    ['a red list with grades', { ...red, grades: [...NATIONAL_GRADE_PERIODS], defaultGrade: 'minor' }, 'grades'],
    ['repair on application without grades', { ...black, grades: [], defaultGrade: null }, 'grades'],
    ['repairable against the path', { ...black, repairable: false }, 'repairable'],
    ['a grade twice', { ...black, grades: [...NATIONAL_GRADE_PERIODS, NATIONAL_GRADE_PERIODS[0]] }, 'grades.3.grade'],
    [
      'a minimum past the maximum',
      { ...black, grades: [{ grade: 'general', minimumMonths: 13, maximumMonths: 12 }], defaultGrade: 'general' },
      'grades.0.minimumMonths',
    ],
    [
      'a maximum of 0',
      { ...black, grades: [{ grade: 'minor', minimumMonths: 0, maximumMonths: 0 }], defaultGrade: 'minor' },
      'grades.0.maximumMonths',
    ],
    [
      'an unknown grade',
      { ...black, grades: [{ grade: '严重', minimumMonths: 12, maximumMonths: 36 }] },
      'grades.0.grade',
    ],
    [
      'a default grade not allowed',
      { ...black, grades: [NATIONAL_GRADE_PERIODS[2]], defaultGrade: 'minor' },
      'defaultGrade',
    ],
    ['a default grade without grades', { ...seedType('BL-TAX-MAJOR-CASE'), defaultGrade: 'minor' }, 'defaultGrade'],
    ['an unknown procedure', { ...black, procedure: 'notify' }, 'procedure'],
    [
      'a red list withholding a facilitation',
      { ...red, withheldFacilitations: [{ code: 'priority', label: '不适用优先办理', basis: '某办法' }] },
      'withheldFacilitations',
    ],
    [
      'a facilitation twice',
      { ...black, withheldFacilitations: [...black.withheldFacilitations, black.withheldFacilitations[0]] },
      'withheldFacilitations.2.code',
    ],
    [
      'a facilitation code not in the form',
      { ...black, withheldFacilitations: [{ code: 'Notify Commit', label: '不适用告知承诺制', basis: '某办法' }] },
      'withheldFacilitations.0.code',
    ],
  ])('%s: a problem on the field', (_what, listType, path) => {
    expect(ruleSetProblems(listType as ListTypeDoc).map((p) => p.path)).toContain(path);
  });

  it('accepts a longer period set by law and each repair path', () => {
    const law = { ...black, grades: [{ grade: 'serious' as const, minimumMonths: 24, maximumMonths: 60 }] };
    expect(ruleSetProblems(law)).toEqual([]);
    for (const repairPath of ['watch-list-2018', 'application-2025'] as const)
      expect(ruleSetProblems({ ...black, repairPath })).toEqual([]);
    expect(ruleSetProblems({ ...black, repairPath: 'none', repairable: false })).toEqual([]);
  });

  it('accepts a black list withholding nothing or a facilitation of its own', () => {
    expect(ruleSetProblems({ ...black, withheldFacilitations: [] })).toEqual([]);
    const own = { code: 'green-channel', label: '不适用绿色通道', basis: '某省办法第五条' };
    expect(ruleSetProblems({ ...black, withheldFacilitations: [own] })).toEqual([]);
  });
});

describe('a measure’s source in the document', () => {
  const organizations = new Set(seed.measures.flatMap((m) => m.implementingOrganizations));
  for (const m of seed.memoranda) organizations.add(m.initiatingOrganization);
  for (const l of seed.listTypes) organizations.add(l.identifyingOrganization);
  const cities = new Set(['340100']);
  const withMeasure = (change: object) => ({
    ...seed,
    measures: seed.measures.map((m) => (m.code === 'M01-01' ? { ...m, ...change } : m)),
  });

  it('accepts the seed', () => {
    expect(documentProblems(seed, organizations, cities)).toEqual([]);
  });

  it.each<[string, object, string, string]>([
    [
      'an unknown source memorandum',
      { source: { memorandum: 'M99', baseList: null, catalogue: 'national' } },
      'source.memorandum',
      'unknown memorandum M99',
    ],
    [
      'a city catalogue without a city',
      { source: { memorandum: null, baseList: null, catalogue: 'city' } },
      'source.catalogue',
      'a city catalogue’s measure is scoped to its city (scopeRegion)',
    ],
  ])('reports %s', (_what, change, field, message) => {
    const index = seed.measures.findIndex((m) => m.code === 'M01-01');
    expect(documentProblems(withMeasure(change), organizations, cities)).toEqual([
      { path: `measures.${index}.${field}`, message },
    ]);
  });
});

describe('a measure’s term (期限)', () => {
  const organizations = new Set(seed.measures.flatMap((m) => m.implementingOrganizations));
  for (const l of seed.listTypes) organizations.add(l.identifyingOrganization);
  for (const m of seed.memoranda) organizations.add(m.initiatingOrganization);
  const problemsWith = (term: { termMonths: unknown; termFrom: unknown }) =>
    documentProblems({ ...seed, measures: [{ ...seed.measures[0], ...term } as never] }, organizations, new Set())
      .filter((p) => p.path.startsWith('measures.0.term'))
      .map((p) => p.path);

  it.each([
    [{ termMonths: null, termFrom: null }, []],
    [{ termMonths: 36, termFrom: 'listing' }, []],
    [{ termMonths: 1200, termFrom: 'decision' }, []],
    [{ termMonths: 0, termFrom: 'listing' }, ['measures.0.termMonths']],
    [{ termMonths: 1201, termFrom: 'listing' }, ['measures.0.termMonths']],
    [{ termMonths: 2.5, termFrom: 'listing' }, ['measures.0.termMonths']],
    [{ termMonths: 36, termFrom: 'removal' }, ['measures.0.termFrom']],
    [{ termMonths: 36, termFrom: null }, ['measures.0.termFrom']],
    [{ termMonths: null, termFrom: 'listing' }, ['measures.0.termFrom']],
  ])('%j: problems %j', (term, paths) => {
    expect(problemsWith(term)).toEqual(paths);
  });

  it('completes a document from before terms (none: until removal), and a term from the listing by default', () => {
    const [first, second] = seed.measures;
    const { termMonths: _m, termFrom: _f, ...old } = first;
    const doc = normaliseDocument({
      ...seed,
      measures: [old as never, { ...second, termMonths: 12, termFrom: undefined as never }],
    });
    expect(doc.measures.map((m) => [m.termMonths, m.termFrom])).toEqual([
      [null, null],
      [12, 'listing'],
    ]);
    expect(
      diffDocuments(
        seed,
        normaliseDocument({
          ...seed,
          measures: seed.measures.map(({ termMonths: _a, termFrom: _b, ...m }) => m as never),
        }),
      ).measures.changed,
    ).toEqual([]);
  });
});
