import { taskIdOf } from '@jrp/contracts';
import { WorkingDayCalendar } from '@jrp/domain';
import type { EntryState } from './entry-states.repository';
import { CatalogueMeasure } from './match-measures';
import { StoredTask, taskChangesOf } from './task-changes';

const entryId = '6c6b0a7e-7d3c-4f0e-9a43-0d5f0e1f3a11';
const measure = (id: string, orgs: string[]): CatalogueMeasure => ({
  id,
  text: `measure ${id}`,
  appliesTo: 'subject',
  subjectKinds: ['legal', 'natural'],
  listTypeName: '失信被执行人名单',
  implementers: orgs.map((code) => ({ code, name: `org ${code}` })),
  feedbackDueWorkingDays: 5,
  effectiveFrom: null,
  effectiveTo: null,
  scopeRegion: null,
});
const state: EntryState = {
  entryId,
  version: 2,
  listType: 'SXBZXR',
  status: 'active',
  region: '340104',
  subject: { kind: 'legal', name: '某公司' },
  hasLegalRepresentative: false,
  disputed: false,
  listedAt: '2026-10-01',
};
const stored = (org: string, extra: Partial<StoredTask> = {}): StoredTask => ({
  id: taskIdOf(entryId, org),
  organization: org,
  organizationName: `org ${org}`,
  status: 'acknowledged',
  version: 1,
  measures: [{ id: 'M1', text: 'measure M1' }],
  subject: state.subject,
  entryDisputed: false,
  region: state.region,
  dispatchedOn: '2026-10-01',
  dueAt: new Date('2026-10-08T15:59:59.999Z'),
  acknowledgedAt: new Date('2026-10-02T01:00:00Z'),
  returnReason: null,
  ...extra,
});
// no exceptions: Monday–Friday (2026-11-02 is a Monday)
const calendar = new WorkingDayCalendar([], []);
const now = new Date('2026-11-02T02:00:00Z');

describe('taskChangesOf: what matching writes for each planned change', () => {
  const cases: {
    name: string;
    measures: CatalogueMeasure[];
    existing: StoredTask[];
    expected: {
      type: string;
      organization: string;
      version: number;
      dispatchedOn: string | null;
      acknowledged: boolean;
    }[];
  }[] = [
    {
      name: 'a first listing dispatches today, without a receipt',
      measures: [measure('M1', ['A'])],
      existing: [],
      expected: [
        { type: 'dispatched', organization: 'A', version: 1, dispatchedOn: '2026-11-02', acknowledged: false },
      ],
    },
    {
      name: 'an update keeps the dispatch date and the receipt',
      measures: [measure('M1', ['A']), measure('M2', ['A'])],
      existing: [stored('A')],
      expected: [{ type: 'updated', organization: 'A', version: 2, dispatchedOn: '2026-10-01', acknowledged: true }],
    },
    {
      name: 'a revocation keeps the task as it was',
      measures: [measure('M1', ['B'])],
      existing: [stored('A')],
      expected: [
        { type: 'dispatched', organization: 'B', version: 1, dispatchedOn: '2026-11-02', acknowledged: false },
        { type: 'revoked', organization: 'A', version: 2, dispatchedOn: '2026-10-01', acknowledged: true },
      ],
    },
    {
      name: 'an unchanged task changes nothing',
      measures: [measure('M1', ['A'])],
      existing: [stored('A')],
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ measures, existing, expected }) => {
    const { plans, changes } = taskChangesOf(
      [{ state, measures, onDate: '2026-11-02' }],
      new Map([[entryId, existing]]),
      new Map(),
      calendar,
      now,
    );
    expect(plans[0].map((p) => p.type)).toEqual(expected.map((e) => e.type));
    expect(
      changes.map((c) => ({
        type: c.type,
        organization: c.task.organization,
        version: c.task.version,
        dispatchedOn: c.dispatchedOn,
        acknowledged: c.task.acknowledgedAt !== null,
      })),
    ).toEqual(expected);
  });

  it('counts the due date in working days from the dispatch date, to the end of the day in Shanghai', () => {
    const { changes } = taskChangesOf(
      [{ state, measures: [measure('M1', ['A'])], onDate: '2026-11-02' }],
      new Map(),
      new Map(),
      calendar,
      now,
    );
    // five working days after Monday 2 November: Monday 9 November, 23:59:59.999 in Asia/Shanghai
    expect(changes[0].task.dueAt).toBe('2026-11-09T15:59:59.999Z');
    expect(changes[0].task.listTypeName).toBe('失信被执行人名单');
    expect(changes[0].task.changedAt).toBe(now.toISOString());
  });

  it('records the revocation on revoked tasks only: the one given (an entry that left the list), or a rematch now', () => {
    const removal = {
      reason: 'removal' as const,
      revokedAt: '2026-10-20T16:00:00.000Z',
      liftBy: '2026-10-27T15:59:59.999Z',
    };
    const removed = taskChangesOf(
      [
        {
          state: { ...state, status: 'removed' },
          measures: [measure('M1', ['A'])],
          onDate: '2026-11-02',
          revocation: removal,
        },
      ],
      new Map([[entryId, [stored('A')]]]),
      new Map(),
      calendar,
      now,
    ).changes;
    expect(removed.map((c) => [c.type, c.task.revocation])).toEqual([['revoked', removal]]);
    const moved = taskChangesOf(
      [{ state, measures: [measure('M1', ['B'])], onDate: '2026-11-02' }],
      new Map([[entryId, [stored('A')]]]),
      new Map(),
      calendar,
      now,
    ).changes;
    expect(moved.map((c) => [c.type, c.task.organization, c.task.revocation])).toEqual([
      ['dispatched', 'B', undefined],
      ['revoked', 'A', { reason: 'rematch', revokedAt: now.toISOString(), liftBy: null }],
    ]);
  });

  describe('an objection that holds the measures (异议期间暂停实施)', () => {
    const holding = [{ ...measure('M1', ['A']), objectionHoldsMeasures: true }];
    const disputed = { ...state, disputed: true };
    const run = (st: EntryState, measures: CatalogueMeasure[], existing: StoredTask[]) =>
      taskChangesOf(
        [{ state: st, measures, onDate: '2026-11-02' }],
        new Map([[entryId, existing]]),
        new Map(),
        calendar,
        now,
      ).changes;
    const held = stored('A', { status: 'on-hold', dueAt: null, entryDisputed: true });

    it.each<
      [string, EntryState, CatalogueMeasure[], StoredTask[], [string, string, string | null, string | null, boolean][]]
    >([
      // name, state, measures, existing, expected [type, status, dispatchedOn, dueAt, acknowledged]
      [
        'holds an acknowledged task: no due date, receipt and dispatch date kept',
        disputed,
        holding,
        [stored('A')],
        [['held', 'on-hold', '2026-10-01', null, true]],
      ],
      [
        'dispatches a task on hold: dispatched today, no due date',
        disputed,
        holding,
        [],
        [['dispatched', 'on-hold', '2026-11-02', null, false]],
      ],
      [
        'releases on the decision: the full period again from the release date',
        state,
        holding,
        [held],
        [['released', 'acknowledged', '2026-11-02', '2026-11-09T15:59:59.999Z', true]],
      ],
      [
        'a list type that does not hold: updated for the dispute only, due date kept',
        disputed,
        [measure('M1', ['A'])],
        [stored('A')],
        [['updated', 'acknowledged', '2026-10-01', '2026-10-08T15:59:59.999Z', true]],
      ],
      [
        'an objection upheld (removed) revokes the held task',
        { ...state, status: 'removed' },
        holding,
        [held],
        [['revoked', 'revoked', '2026-10-01', null, true]],
      ],
    ])('%s', (_name, st, measures, existing, expected) => {
      expect(
        run(st, measures, existing).map((c) => [
          c.type,
          c.task.status,
          c.dispatchedOn,
          c.task.dueAt ?? null,
          c.task.acknowledgedAt !== null,
        ]),
      ).toEqual(expected);
    });

    it('replaying the hold changes nothing', () => {
      expect(run(disputed, holding, [held])).toEqual([]);
    });
  });
});

describe('taskChangesOf: measures’ terms (期限)', () => {
  const termed = (id: string, orgs: string[], termMonths: number): CatalogueMeasure => ({
    ...measure(id, orgs),
    termMonths,
    termFrom: 'listing',
  });
  const termEnded = { reason: 'term-ended' as const, revokedAt: now.toISOString(), liftBy: '2026-11-09T15:59:59.999Z' };
  const run = (listedAt: string, measures: CatalogueMeasure[], existing: StoredTask[]) =>
    taskChangesOf(
      [{ state: { ...state, listedAt }, measures, onDate: '2026-11-02', termEnded }],
      new Map([[entryId, existing]]),
      new Map(),
      calendar,
      now,
    ).changes;

  it.each([
    // [listedAt, term months, the task's measures after, type, revocation reason]
    ['2023-11-03', 36, [{ id: 'M1', applyUntil: '2026-11-02' }], 'dispatched', undefined], // its last day is today
    ['2023-11-02', 36, [], 'none', undefined], // ended yesterday: never dispatched
    ['2026-10-01', 1, [], 'none', undefined], // 2026-10-31 was its last day
    ['2026-10-02', 1, [], 'none', undefined], // 2026-11-01 was its last day
    ['2026-10-03', 1, [{ id: 'M1', applyUntil: '2026-11-02' }], 'dispatched', undefined],
  ])('a listing of %s with a %i-month term', (listedAt, months, measures, type) => {
    const changes = run(listedAt, [termed('M1', ['A'], months)], []);
    if (type === 'none') expect(changes).toEqual([]);
    else {
      expect(changes.map((c) => c.type)).toEqual([type]);
      expect(changes[0].task.measures.map(({ id, applyUntil }) => ({ id, applyUntil }))).toEqual(measures);
    }
  });

  it('revokes a task all of whose measures ran their terms with term-ended (lifting owed)', () => {
    const changes = run(
      '2023-10-01',
      [termed('M1', ['A'], 36)],
      [stored('A', { measures: [{ id: 'M1', text: 'x', applyUntil: '2026-09-30' }] })],
    );
    expect(changes.map((c) => [c.type, c.task.revocation?.reason])).toEqual([['revoked', 'term-ended']]);
    expect(changes[0].task.revocation).toEqual(termEnded);
  });

  it('updates a task some of whose measures ran their terms, with the others', () => {
    const changes = run(
      '2023-10-01',
      [termed('M1', ['A'], 36), measure('M2', ['A'])],
      [
        stored('A', {
          measures: [
            { id: 'M1', text: 'x', applyUntil: '2026-09-30' },
            { id: 'M2', text: 'y' },
          ],
        }),
      ],
    );
    expect(changes.map((c) => c.type)).toEqual(['updated']);
    expect(changes[0].task.measures.map((m) => m.id)).toEqual(['M2']);
  });

  it('updates a task whose measure’s term changed (a new catalogue version), and changes nothing replayed', () => {
    const before = [stored('A', { measures: [{ id: 'M1', text: 'measure M1', applyUntil: '2029-09-30' }] })];
    const changes = run('2026-10-01', [termed('M1', ['A'], 12)], before);
    expect(changes.map((c) => c.type)).toEqual(['updated']);
    expect(changes[0].task.measures).toEqual([{ id: 'M1', text: 'measure M1', applyUntil: '2027-09-30' }]);
    const again = [stored('A', { version: 2, measures: changes[0].task.measures })];
    expect(run('2026-10-01', [termed('M1', ['A'], 12)], again)).toEqual([]);
  });

  it('revokes as the entry’s change says, not term-ended, when the measure left the catalogue', () => {
    const changes = run('2023-10-01', [termed('M1', ['B'], 36)], [stored('A')]);
    expect(changes.map((c) => [c.type, c.task.revocation?.reason])).toEqual([['revoked', 'rematch']]);
  });
});
