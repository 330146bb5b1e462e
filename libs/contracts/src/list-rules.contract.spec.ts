import { DEFAULT_WITHHELD_FACILITATIONS, listTypeRules, NATIONAL_GRADE_PERIODS } from './list-rules.contract';

describe('listTypeRules: a rule set complete, the 2018 path for what predates rule sets', () => {
  it.each([
    [true, 'watch-list-2018'],
    [false, 'none'],
    [undefined, 'none'],
  ] as const)(
    'repairable %s without a rule set reads as %s, listed directly and ungraded',
    (repairable, repairPath) => {
      expect(listTypeRules({ repairable })).toEqual({
        procedure: 'direct',
        repairPath,
        grades: [],
        defaultGrade: null,
        objectionHoldsMeasures: false,
        basis: null,
        removalConditions: null,
        remedies: null,
        repairDecisionWorkingDays: 10,
        withheldFacilitations: [],
      });
    },
  );

  it.each(['watch-list-2018', 'application-2025', 'none'] as const)(
    'keeps the repair path %s it is given',
    (repairPath) => {
      expect(listTypeRules({ repairable: repairPath === 'none', repairPath }).repairPath).toBe(repairPath);
    },
  );

  it.each(['direct', 'notice-first'] as const)('keeps the procedure %s and the rest of the rule set', (procedure) => {
    const rules = {
      procedure,
      repairPath: 'application-2025' as const,
      grades: [...NATIONAL_GRADE_PERIODS],
      defaultGrade: 'serious' as const,
      objectionHoldsMeasures: true,
      basis: { document: '信用修复管理办法', article: '第十条' },
      removalConditions: '公示期满',
      remedies: '行政复议、行政诉讼',
      repairDecisionWorkingDays: 15,
      withheldFacilitations: [{ code: 'green-channel', label: '不适用绿色通道', basis: '某省办法第五条' }],
    };
    expect(listTypeRules({ repairable: true, ...rules })).toEqual(rules);
  });

  it.each([
    ['black', ['notify-commit', 'tolerance-acceptance']],
    ['red', []],
    [undefined, []],
  ] as const)('a %s list type without withheld facilitations withholds %j', (colour, codes) => {
    expect(listTypeRules({ repairable: true, colour }).withheldFacilitations.map((f) => f.code)).toEqual(codes);
  });

  it.each([
    ['black', []],
    ['black', [{ code: 'priority', label: '不适用优先办理', basis: '某省办法' }]],
    ['red', [{ code: 'priority', label: '不适用优先办理', basis: '某省办法' }]],
  ] as const)('a %s list type keeps the facilitations it names (%j), none included', (colour, withheld) => {
    expect(listTypeRules({ colour, withheldFacilitations: [...withheld] }).withheldFacilitations).toEqual(withheld);
  });

  it('gives each list type its own copy of the defaults', () => {
    const rules = listTypeRules({ colour: 'black' });
    expect(rules.withheldFacilitations).toEqual(DEFAULT_WITHHELD_FACILITATIONS);
    rules.withheldFacilitations[0].label = 'changed';
    expect(DEFAULT_WITHHELD_FACILITATIONS[0].label).toBe('不适用告知承诺制');
  });

  it('holds the national periods of 信用修复管理办法 (2025) in months', () => {
    expect(NATIONAL_GRADE_PERIODS).toEqual([
      { grade: 'minor', minimumMonths: 0, maximumMonths: 3 },
      { grade: 'general', minimumMonths: 3, maximumMonths: 12 },
      { grade: 'serious', minimumMonths: 12, maximumMonths: 36 },
    ]);
  });
});
