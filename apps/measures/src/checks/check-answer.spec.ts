import { DEFAULT_WITHHELD_FACILITATIONS, WithheldFacilitationData } from '@jrp/contracts';
import { CatalogueMeasure } from '../matching/match-measures';
import { answerCheck, isReported, SubjectEntry } from './check-answer';

const measure = (id: string, orgs: string[], extra: Partial<CatalogueMeasure> = {}): CatalogueMeasure => ({
  id,
  text: `measure ${id}`,
  appliesTo: 'subject',
  subjectKinds: ['legal', 'natural'],
  listTypeName: '失信被执行人名单',
  implementers: orgs.map((code) => ({ code, name: code })),
  feedbackDueWorkingDays: 10,
  effectiveFrom: null,
  effectiveTo: null,
  scopeRegion: null,
  ...extra,
});

const entry = (entryId: string, extra: Partial<SubjectEntry> = {}): SubjectEntry => ({
  entryId,
  listType: 'BL-A',
  listTypeName: '名单A',
  colour: 'black',
  status: 'active',
  disputed: false,
  listedAt: '2026-11-02',
  validUntil: null,
  region: '340104',
  subjectKind: 'legal',
  hasLegalRepresentative: false,
  foundAs: 'subject',
  withheldFacilitations: DEFAULT_WITHHELD_FACILITATIONS.map((f) => ({ ...f })),
  ...extra,
});

const facilitation = (code: string): WithheldFacilitationData => ({
  code,
  label: `不适用${code}`,
  basis: `basis of ${code}`,
});

const TODAY = '2026-11-10';
const catalogue = new Map([
  [
    'BL-A',
    [
      measure('A-1', ['ORG', 'OTHER']),
      measure('A-2', ['OTHER']),
      measure('A-3', ['ORG'], { subjectKinds: ['natural'] }),
    ],
  ],
  ['BL-B', [measure('A-0', ['ORG']), measure('B-1', ['ORG'], { effectiveFrom: '2026-12-01' })]],
]);

describe('answerCheck', () => {
  it('reports a subject with an entry in force as listed, with the caller’s measures only', () => {
    const answer = answerCheck([entry('e1')], 'ORG', TODAY, catalogue, new Map());
    expect(answer.listed).toBe(true);
    expect(answer.entries.map((e) => e.entryId)).toEqual(['e1']);
    expect(answer.measures).toEqual([{ id: 'A-1', text: 'measure A-1', listType: 'BL-A', entryIds: ['e1'] }]);
    expect(answerCheck([entry('e1')], 'OTHER', TODAY, catalogue, new Map()).measures.map((x) => x.id)).toEqual([
      'A-1',
      'A-2',
    ]);
  });

  it('answers an organisation with no measure for the list: listed, no measures', () => {
    const answer = answerCheck([entry('e1')], 'NOBODY', TODAY, catalogue, new Map());
    expect(answer).toMatchObject({ listed: true, measures: [] });
  });

  it('reports a watch-list entry without counting it as listed or giving measures', () => {
    const answer = answerCheck([entry('e1', { status: 'watch' })], 'ORG', TODAY, catalogue, new Map());
    expect(answer).toMatchObject({ listed: false, measures: [], active: [] });
    expect(answer.entries.map((e) => e.status)).toEqual(['watch']);
  });

  it.each(['removed', 'expired', 'noticed', 'withdrawn'] as const)('does not report a %s entry', (status) => {
    expect(answerCheck([entry('e1', { status })], 'ORG', TODAY, catalogue, new Map())).toEqual({
      listed: false,
      entries: [],
      active: [],
      linkable: [],
      measures: [],
      withheldFacilitations: [],
    });
  });

  it('treats an entry past its validity as expired, even before list-ingestion marks it; the last day still counts', () => {
    expect(isReported(entry('e1', { validUntil: '2026-11-09' }), TODAY)).toBe(false);
    expect(isReported(entry('e1', { validUntil: TODAY }), TODAY)).toBe(true);
    expect(answerCheck([entry('e1', { validUntil: '2026-11-09' })], 'ORG', TODAY, catalogue, new Map()).listed).toBe(
      false,
    );
  });

  it('applies the matching rules on the day of the check: subject kind, effective dates', () => {
    const natural = answerCheck([entry('e1', { subjectKind: 'natural' })], 'ORG', TODAY, catalogue, new Map());
    expect(natural.measures.map((x) => x.id)).toEqual(['A-1', 'A-3']);
    expect(
      answerCheck([entry('e2', { listType: 'BL-B' })], 'ORG', TODAY, catalogue, new Map()).measures.map((x) => x.id),
    ).toEqual(['A-0']);
    expect(
      answerCheck([entry('e2', { listType: 'BL-B' })], 'ORG', '2026-12-01', catalogue, new Map()).measures.map(
        (x) => x.id,
      ),
    ).toEqual(['A-0', 'B-1']);
  });

  it('respects the office’s reassignments of an entry’s measures', () => {
    const reassigned = new Map([['e1', [{ measureId: 'A-1', from: 'ORG', to: { code: 'THIRD', name: 'THIRD' } }]]]);
    expect(answerCheck([entry('e1')], 'ORG', TODAY, catalogue, reassigned).measures).toEqual([]);
    expect(answerCheck([entry('e1')], 'THIRD', TODAY, catalogue, reassigned).measures.map((x) => x.id)).toEqual([
      'A-1',
    ]);
    // another entry of the same subject keeps the catalogue's assignment
    expect(answerCheck([entry('e1'), entry('e3')], 'ORG', TODAY, catalogue, reassigned).measures).toEqual([
      { id: 'A-1', text: 'measure A-1', listType: 'BL-A', entryIds: ['e3'] },
    ]);
  });

  it('names a measure once when several entries imply it, and orders entries by listing date', () => {
    const answer = answerCheck(
      [
        entry('e9', { listedAt: '2026-11-05' }),
        entry('e1', { listedAt: '2026-11-01' }),
        entry('e5', { listType: 'BL-B', listedAt: '2026-11-03' }),
      ],
      'ORG',
      TODAY,
      catalogue,
      new Map(),
    );
    expect(answer.entries.map((e) => e.entryId)).toEqual(['e1', 'e5', 'e9']);
    expect(answer.measures).toEqual([
      { id: 'A-0', text: 'measure A-0', listType: 'BL-B', entryIds: ['e5'] },
      { id: 'A-1', text: 'measure A-1', listType: 'BL-A', entryIds: ['e1', 'e9'] },
    ]);
  });

  it('gives no measures for a list type the catalogue does not hold, but still reports the entry', () => {
    const answer = answerCheck(
      [entry('e1', { listType: 'BL-GONE', colour: null })],
      'ORG',
      TODAY,
      catalogue,
      new Map(),
    );
    expect(answer).toMatchObject({ listed: true, measures: [] });
  });

  describe('a person found as legal representative (法定代表人)', () => {
    const repCatalogue = new Map([
      [
        'BL-A',
        [
          measure('S-1', ['ORG']),
          measure('R-1', ['ORG'], { appliesTo: 'legal-representative' }),
          measure('B-1', ['ORG'], { appliesTo: 'both' }),
        ],
      ],
    ]);
    const legal = { subjectKind: 'legal' as const, hasLegalRepresentative: true };
    it.each([
      ['subject', ['B-1', 'R-1', 'S-1']],
      ['legal-representative', ['B-1', 'R-1']],
    ] as const)('found as %s: measures %j', (foundAs, ids) => {
      const answer = answerCheck([entry('e1', { ...legal, foundAs })], 'ORG', TODAY, repCatalogue, new Map());
      expect(answer.listed).toBe(true);
      expect(answer.entries.map((e) => e.foundAs)).toEqual([foundAs]);
      expect(answer.measures.map((x) => x.id)).toEqual(ids);
      expect(answer.linkable.map((e) => e.entryId)).toEqual(['e1']);
    });
    it('links no task of the company when none of the caller’s measures follows the representative', () => {
      const only = new Map([['BL-A', [measure('S-1', ['ORG']), measure('R-1', ['OTHER'], { appliesTo: 'both' })]]]);
      const e = entry('e1', { ...legal, foundAs: 'legal-representative' });
      expect(answerCheck([e], 'ORG', TODAY, only, new Map())).toMatchObject({
        listed: true,
        measures: [],
        linkable: [],
      });
      expect(answerCheck([e], 'OTHER', TODAY, only, new Map()).linkable.map((x) => x.entryId)).toEqual(['e1']);
      // found as the subject itself, the caller's task is linked even with no measure (as before)
      expect(answerCheck([{ ...e, foundAs: 'subject' }], 'NOBODY', TODAY, only, new Map()).linkable).toHaveLength(1);
    });
    it('keeps the role per entry when the person is found both ways', () => {
      const answer = answerCheck(
        [
          entry('e1', { subjectKind: 'natural', listedAt: '2026-11-01' }),
          entry('e2', { ...legal, foundAs: 'legal-representative' }),
        ],
        'ORG',
        TODAY,
        repCatalogue,
        new Map(),
      );
      expect(answer.entries.map((e) => [e.entryId, e.foundAs])).toEqual([
        ['e1', 'subject'],
        ['e2', 'legal-representative'],
      ]);
      expect(answer.measures).toEqual([
        { id: 'B-1', text: 'measure B-1', listType: 'BL-A', entryIds: ['e1', 'e2'] },
        { id: 'R-1', text: 'measure R-1', listType: 'BL-A', entryIds: ['e2'] },
        { id: 'S-1', text: 'measure S-1', listType: 'BL-A', entryIds: ['e1'] },
      ]);
    });
  });

  describe('withheld facilitations and rewards', () => {
    it.each([
      ['black, in force', [entry('e1')], ['notify-commit', 'tolerance-acceptance'], ['e1']],
      ['red, in force', [entry('e1', { colour: 'red', listType: 'RL-A' })], [], []],
      ['black, watch list', [entry('e1', { status: 'watch' })], [], []],
      ['black, past validity', [entry('e1', { validUntil: '2026-11-01' })], [], []],
      [
        'black and red',
        [entry('e1'), entry('e2', { colour: 'red' }), entry('e3', { listedAt: '2026-11-03' })],
        ['notify-commit', 'tolerance-acceptance'],
        ['e1', 'e3'],
      ],
      ['unknown list type', [entry('e1', { colour: null })], [], []],
      ['black, its list type withholding none', [entry('e1', { withheldFacilitations: [] })], [], []],
      [
        'black, its list type withholding a third facilitation',
        [entry('e1', { withheldFacilitations: [...DEFAULT_WITHHELD_FACILITATIONS, facilitation('priority')] })],
        ['notify-commit', 'priority', 'tolerance-acceptance'],
        ['e1'],
      ],
      [
        'red with facilitations named: none withheld',
        [entry('e1', { colour: 'red', withheldFacilitations: [facilitation('priority')] })],
        [],
        [],
      ],
    ] as const)('%s', (_name, entries, codes, entryIds) => {
      const answer = answerCheck([...entries], 'ORG', TODAY, catalogue, new Map());
      expect(answer.withheldFacilitations.map((f) => f.code)).toEqual(codes);
      for (const f of answer.withheldFacilitations) {
        expect(f.entryIds).toEqual(entryIds);
        expect(f.label).toMatch(/^不适用/);
      }
    });
    it('unites two list types’ facilitations by code, each with the entries that withhold it', () => {
      const answer = answerCheck(
        [
          entry('e1', { listType: 'BL-A', withheldFacilitations: [facilitation('zeta'), facilitation('alpha')] }),
          entry('e2', {
            listType: 'BL-B',
            listedAt: '2026-11-03',
            withheldFacilitations: [{ ...facilitation('alpha'), label: 'later label' }, facilitation('mid')],
          }),
          entry('e3', { listType: 'BL-C', listedAt: '2026-11-04', withheldFacilitations: [] }),
          entry('e4', { listType: 'BL-B', status: 'watch', withheldFacilitations: [facilitation('watch')] }),
        ],
        'ORG',
        TODAY,
        catalogue,
        new Map(),
      );
      expect(answer.withheldFacilitations).toEqual([
        { code: 'alpha', label: '不适用alpha', basis: 'basis of alpha', entryIds: ['e1', 'e2'] },
        { code: 'mid', label: '不适用mid', basis: 'basis of mid', entryIds: ['e2'] },
        { code: 'zeta', label: '不适用zeta', basis: 'basis of zeta', entryIds: ['e1'] },
      ]);
    });

    it('names a red-list entry’s reward measures the caller implements', () => {
      const rewards = new Map([['RL-A', [measure('J-1', ['ORG']), measure('J-2', ['OTHER'])]]]);
      const answer = answerCheck([entry('e1', { colour: 'red', listType: 'RL-A' })], 'ORG', TODAY, rewards, new Map());
      expect(answer).toMatchObject({ listed: true, withheldFacilitations: [] });
      expect(answer.measures).toEqual([{ id: 'J-1', text: 'measure J-1', listType: 'RL-A', entryIds: ['e1'] }]);
    });
  });

  it('leaves out a measure whose term (期限) has run by the day of the check, its last day included', () => {
    const termed = new Map([['BL-A', [measure('A-1', ['ORG'], { termMonths: 12, termFrom: 'listing' })]]]);
    const ids = (listedAt: string) =>
      answerCheck([entry('e1', { listedAt })], 'ORG', TODAY, termed, new Map()).measures.map((m) => m.id);
    expect(ids('2025-11-11')).toEqual(['A-1']); // last day 2026-11-10: today
    expect(ids('2025-11-10')).toEqual([]); // last day 2026-11-09
  });
});
