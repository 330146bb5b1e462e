import { taskIdOf } from '@jrp/contracts';
import { applies, CatalogueMeasure, matchMeasures } from './match-measures';
import { ExistingTask, planTasks } from './plan-tasks';
import { reassignMeasures } from './reassign-measures';

const m = (id: string, orgs: string[], extra: Partial<CatalogueMeasure> = {}): CatalogueMeasure => ({
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

const legal = {
  status: 'active' as const,
  region: '340104',
  subject: { kind: 'legal' as const, hasLegalRepresentative: false },
};
const ON = '2026-11-02';

describe('matchMeasures', () => {
  const catalogue = [
    m('M1', ['A', 'B']),
    m('M2', ['B']),
    m('M3', ['C'], { subjectKinds: ['natural'] }),
    m('M4', ['D'], { appliesTo: 'legal-representative' }),
  ];

  it('groups measures by implementing organisation, one task each', () => {
    expect(matchMeasures(catalogue, legal, ON)).toEqual([
      { organization: 'A', organizationName: 'A', measures: [{ id: 'M1', text: 'measure M1' }], dueWorkingDays: 10 },
      {
        organization: 'B',
        organizationName: 'B',
        measures: [
          { id: 'M1', text: 'measure M1' },
          { id: 'M2', text: 'measure M2' },
        ],
        dueWorkingDays: 10,
      },
    ]);
  });

  it('keeps measures for the subject kind only', () => {
    const orgs = matchMeasures(
      catalogue,
      { status: 'active', region: '340104', subject: { kind: 'natural', hasLegalRepresentative: false } },
      ON,
    ).map((t) => t.organization);
    expect(orgs).toEqual(['A', 'B', 'C']);
  });

  it('applies legal-representative measures only when the entry names one', () => {
    const orgs = matchMeasures(
      catalogue,
      { status: 'active', region: '340104', subject: { kind: 'legal', hasLegalRepresentative: true } },
      ON,
    ).map((t) => t.organization);
    expect(orgs).toEqual(['A', 'B', 'D']);
  });

  it.each(['watch', 'removed', 'expired', 'noticed', 'withdrawn'] as const)(
    'implies no task for a %s entry',
    (status) => {
      expect(matchMeasures(catalogue, { ...legal, status }, ON)).toEqual([]);
    },
  );
});

describe('matching rules, each with a case that includes and one that excludes', () => {
  const natural = {
    status: 'active' as const,
    region: '340104',
    subject: { kind: 'natural' as const, hasLegalRepresentative: false },
  };
  const withRep = { ...legal, subject: { kind: 'legal' as const, hasLegalRepresentative: true } };
  it.each<[string, Partial<CatalogueMeasure>, typeof legal | typeof natural | typeof withRep, string, boolean]>([
    ['subject kind: legal measure, legal subject', { subjectKinds: ['legal'] }, legal, ON, true],
    ['subject kind: legal measure, natural person', { subjectKinds: ['legal'] }, natural, ON, false],
    ['applies to the legal representative: one is named', { appliesTo: 'legal-representative' }, withRep, ON, true],
    ['applies to the legal representative: none is named', { appliesTo: 'legal-representative' }, legal, ON, false],
    ['applies to both: a legal subject without representative', { appliesTo: 'both' }, legal, ON, true],
    ['effective from: on the first day', { effectiveFrom: ON }, legal, ON, true],
    ['effective from: the day before', { effectiveFrom: '2026-11-03' }, legal, ON, false],
    ['effective to: on the last day (inclusive)', { effectiveTo: ON }, legal, ON, true],
    ['effective to: the day after', { effectiveTo: '2026-11-01' }, legal, ON, false],
    ['city scope: a subject in a county of that city', { scopeRegion: '340100' }, legal, ON, true],
    ['city scope: a subject in another city', { scopeRegion: '341200' }, legal, ON, false],
    [
      'city scope: a subject registered at province level',
      { scopeRegion: '340100' },
      { ...legal, region: '340000' },
      ON,
      false,
    ],
  ])('%s → %s', (_, measure, entry, on, expected) => {
    expect(applies(m('M', ['A'], measure), entry, on)).toBe(expected);
  });

  it('gives a task the earliest due date of its measures', () => {
    const [task] = matchMeasures(
      [m('M1', ['A'], { feedbackDueWorkingDays: 20 }), m('M2', ['A'], { feedbackDueWorkingDays: 5 })],
      legal,
      ON,
    );
    expect(task.dueWorkingDays).toBe(5);
  });
});

describe('planTasks', () => {
  const entryId = '6c6b0a7e-7d3c-4f0e-9a43-0d5f0e1f3a11';
  const desired = [
    { organization: 'A', organizationName: 'A', measures: [{ id: 'M1', text: 't' }], dueWorkingDays: 5 },
    {
      organization: 'B',
      organizationName: 'B',
      measures: [
        { id: 'M1', text: 't' },
        { id: 'M2', text: 't' },
      ],
      dueWorkingDays: 10,
    },
  ];
  const existing = (org: string, status: ExistingTask['status'], ids: string[], version = 1): ExistingTask => ({
    id: taskIdOf(entryId, org),
    organization: org,
    organizationName: org,
    status,
    version,
    measures: ids.map((id) => ({ id, text: 't' })),
    subject: {},
    entryDisputed: false,
  });

  it('dispatches a task per new organisation with a deterministic id', () => {
    const plan = planTasks(entryId, [], desired, false);
    expect(plan.map((p) => [p.type, p.organization, p.version, p.id])).toEqual([
      ['dispatched', 'A', 1, taskIdOf(entryId, 'A')],
      ['dispatched', 'B', 1, taskIdOf(entryId, 'B')],
    ]);
  });

  it('changes nothing when the tasks already match', () => {
    expect(
      planTasks(entryId, [existing('A', 'open', ['M1']), existing('B', 'open', ['M1', 'M2'])], desired, false),
    ).toEqual([]);
  });

  it('updates a task whose measures changed and revokes one no longer concerned', () => {
    const plan = planTasks(
      entryId,
      [existing('A', 'open', ['M1']), existing('B', 'open', ['M1'], 3), existing('C', 'open', ['M9'])],
      desired,
      false,
    );
    expect(plan.map((p) => [p.type, p.organization, p.version, p.status])).toEqual([
      ['updated', 'B', 4, 'open'],
      ['revoked', 'C', 2, 'revoked'],
    ]);
  });

  it('revokes every open task when nothing is desired, and leaves revoked ones alone', () => {
    const plan = planTasks(entryId, [existing('A', 'open', ['M1']), existing('B', 'revoked', ['M1'], 2)], [], false);
    expect(plan.map((p) => [p.type, p.organization, p.version])).toEqual([['revoked', 'A', 2]]);
  });

  it('dispatches again a revoked task that applies again', () => {
    const plan = planTasks(entryId, [existing('A', 'revoked', ['M1'], 2)], desired.slice(0, 1), false);
    expect(plan.map((p) => [p.type, p.organization, p.version])).toEqual([['dispatched', 'A', 3]]);
  });

  it('keeps the receipt of an acknowledged task it updates', () => {
    const plan = planTasks(entryId, [existing('A', 'acknowledged', ['M9'], 2)], desired.slice(0, 1), false);
    expect(plan.map((p) => [p.type, p.status, p.version])).toEqual([['updated', 'acknowledged', 3]]);
  });

  it('leaves a returned task with the office while its measures stand, even when the subject changed', () => {
    expect(planTasks(entryId, [existing('A', 'returned', ['M1'], 2)], desired.slice(0, 1), true)).toEqual([]);
  });

  it('dispatches a returned task again when its organisation is given other measures', () => {
    const plan = planTasks(entryId, [existing('A', 'returned', ['M7'], 2)], desired.slice(0, 1), false);
    expect(plan.map((p) => [p.type, p.status, p.version])).toEqual([['dispatched', 'open', 3]]);
  });

  it.each(['acknowledged', 'returned'] as const)('revokes an %s task no longer concerned', (status) => {
    const plan = planTasks(entryId, [existing('C', status, ['M9'], 2)], desired.slice(0, 1), false);
    expect(plan.map((p) => [p.type, p.organization, p.status])).toEqual([
      ['dispatched', 'A', 'open'],
      ['revoked', 'C', 'revoked'],
    ]);
  });

  it('updates unchanged measures when the subject changed', () => {
    const plan = planTasks(entryId, [existing('A', 'open', ['M1'])], desired.slice(0, 1), true);
    expect(plan.map((p) => p.type)).toEqual(['updated']);
  });
});

describe('planTasks while an objection holds the measures (异议期间暂停实施)', () => {
  const entryId = '6c6b0a7e-7d3c-4f0e-9a43-0d5f0e1f3a11';
  const desiredA = [
    { organization: 'A', organizationName: 'A', measures: [{ id: 'M1', text: 't' }], dueWorkingDays: 10 },
  ];
  const task = (status: ExistingTask['status'], extra: Partial<ExistingTask> = {}): ExistingTask => ({
    id: taskIdOf(entryId, 'A'),
    organization: 'A',
    organizationName: 'A',
    status,
    version: 2,
    measures: [{ id: 'M1', text: 't' }],
    subject: {},
    entryDisputed: false,
    acknowledgedAt: null,
    ...extra,
  });
  const ack = { acknowledgedAt: new Date('2026-11-03T01:00:00Z') };
  const M2 = [{ id: 'M2', text: 't' }];

  it.each<[string, ExistingTask[], typeof desiredA, boolean, boolean, [string, string, number][]]>([
    // name, existing, desired, detailsChanged, hold, expected [type, status, version]
    ['holds an open task', [task('open')], desiredA, true, true, [['held', 'on-hold', 3]]],
    [
      'holds an acknowledged task (its receipt is kept)',
      [task('acknowledged', ack)],
      desiredA,
      true,
      true,
      [['held', 'on-hold', 3]],
    ],
    ['dispatches a new task already on hold: one change', [], desiredA, false, true, [['dispatched', 'on-hold', 1]]],
    [
      'dispatches a revoked task again on hold',
      [task('revoked')],
      desiredA,
      false,
      true,
      [['dispatched', 'on-hold', 3]],
    ],
    ['leaves a held task alone when nothing changed (a replay)', [task('on-hold')], desiredA, false, true, []],
    [
      'updates a held task whose measures changed, still on hold',
      [task('on-hold')],
      [{ ...desiredA[0], measures: M2 }],
      false,
      true,
      [['updated', 'on-hold', 3]],
    ],
    ['releases a held task back to open', [task('on-hold')], desiredA, true, false, [['released', 'open', 3]]],
    [
      'releases a held task back to acknowledged when it was',
      [task('on-hold', ack)],
      desiredA,
      true,
      false,
      [['released', 'acknowledged', 3]],
    ],
    [
      'releases with the corrected measures: one change',
      [task('on-hold')],
      [{ ...desiredA[0], measures: M2 }],
      true,
      false,
      [['released', 'open', 3]],
    ],
    [
      'revokes a held task no longer concerned (objection upheld: removed)',
      [task('on-hold')],
      [],
      true,
      false,
      [['revoked', 'revoked', 3]],
    ],
    ['leaves a returned task with the office', [task('returned')], desiredA, true, true, []],
    ['leaves an open task open when the list type does not hold', [task('open')], desiredA, false, false, []],
  ])('%s', (_name, existing, desired, detailsChanged, hold, expected) => {
    const plan = planTasks(entryId, existing, desired, detailsChanged, hold);
    expect(plan.map((p) => [p.type, p.status, p.version])).toEqual(expected);
  });

  it('carries the corrected measures on a release', () => {
    const [p] = planTasks(entryId, [task('on-hold')], [{ ...desiredA[0], measures: M2 }], true, false);
    expect(p.measures).toEqual(M2);
  });
});

describe('reassignMeasures: the office moves a returned measure to another organisation', () => {
  const measure = (id: string, codes: string[]): CatalogueMeasure => ({
    id,
    text: id,
    appliesTo: 'subject',
    subjectKinds: ['legal'],
    listTypeName: 'x',
    feedbackDueWorkingDays: 10,
    effectiveFrom: null,
    effectiveTo: null,
    scopeRegion: null,
    implementers: codes.map((code) => ({ code, name: code })),
  });
  const to = (code: string) => ({ code, name: code });

  it('moves only the reassigned measure, and only from the organisation that returned it', () => {
    const result = reassignMeasures(
      [measure('M1', ['A', 'B']), measure('M2', ['A'])],
      [{ measureId: 'M1', from: 'A', to: to('C') }],
    );
    expect(result.map((m) => [m.id, m.implementers.map((i) => i.code)])).toEqual([
      ['M1', ['B', 'C']],
      ['M2', ['A']],
    ]);
  });

  it('applies reassignments in order, and never lists an organisation twice', () => {
    const result = reassignMeasures(
      [measure('M1', ['A', 'B'])],
      [
        { measureId: 'M1', from: 'A', to: to('C') },
        { measureId: 'M1', from: 'C', to: to('B') },
      ],
    );
    expect(result[0].implementers.map((i) => i.code)).toEqual(['B']);
  });

  it('ignores a reassignment from an organisation that no longer implements the measure', () => {
    const original = [measure('M1', ['B'])];
    expect(reassignMeasures(original, [{ measureId: 'M1', from: 'A', to: to('C') }])).toEqual(original);
  });
});
