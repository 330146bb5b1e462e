import type { EntryStatus } from '@jrp/contracts';
import { LifecycleState, transition, TRANSITION_ACTIONS, TransitionAction } from './lifecycle';

const black = (over: Partial<LifecycleState> = {}): LifecycleState => ({
  status: 'active',
  colour: 'black',
  repairPath: 'watch-list-2018',
  commitmentRecorded: false,
  trainingRecorded: false,
  repairableFrom: null,
  on: '2026-11-20',
  procedure: 'direct',
  statementDeadline: null,
  statementRecorded: false,
  ...over,
});

describe('list lifecycle', () => {
  it.each<[string, LifecycleState, TransitionAction, string]>([
    ['active black → watch', black(), 'move-to-watch', 'watch'],
    ['active → removed', black(), 'remove', 'removed'],
    ['watch → removed', black({ status: 'watch' }), 'remove', 'removed'],
    ['watch: first repair record stays on watch', black({ status: 'watch' }), 'record-commitment', 'watch'],
    [
      'watch: training after commitment removes',
      black({ status: 'watch', commitmentRecorded: true }),
      'record-training',
      'removed',
    ],
    [
      'watch: commitment after training removes',
      black({ status: 'watch', trainingRecorded: true }),
      'record-commitment',
      'removed',
    ],
    ['red active → removed', black({ colour: 'red', repairPath: 'none' }), 'remove', 'removed'],
    ['not repairable → removed', black({ repairPath: 'none' }), 'remove', 'removed'],
  ])('allows %s', (_, state, action, status) => {
    const outcome = transition(state, action);
    expect(outcome.ok && outcome.status).toBe(status);
  });

  it.each<[string, LifecycleState, TransitionAction, RegExp]>([
    ['repair steps on a list that is not repairable', black({ repairPath: 'none' }), 'move-to-watch', /not repairable/],
    [
      'a commitment on a list that is not repairable',
      black({ repairPath: 'none', status: 'active' }),
      'record-commitment',
      /not repairable/,
    ],
    ['repair on a red list', black({ colour: 'red' }), 'move-to-watch', /red list/],
    ['a commitment before the watch list', black(), 'record-commitment', /watch list/],
    ['training before the watch list', black(), 'record-training', /watch list/],
    ['moving to watch twice', black({ status: 'watch' }), 'move-to-watch', /already on the watch list/],
    [
      'a second commitment',
      black({ status: 'watch', commitmentRecorded: true }),
      'record-commitment',
      /already recorded/,
    ],
    ['a second training', black({ status: 'watch', trainingRecorded: true }), 'record-training', /already recorded/],
    ['anything on a removed entry', black({ status: 'removed' }), 'remove', /removed/],
    ['anything on an expired entry', black({ status: 'expired' }), 'move-to-watch', /expired/],
  ])('refuses %s', (_, state, action, reason) => {
    const outcome = transition(state, action);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(reason);
  });

  describe('rule sets: each repair path, and a graded entry’s repairableFrom', () => {
    const graded = (on: string, over: Partial<LifecycleState> = {}) =>
      black({ repairableFrom: '2026-11-20', on, ...over });

    it.each<[string, LifecycleState, TransitionAction, string]>([
      ['watch-list-2018: the steps on the day repair opens', graded('2026-11-20'), 'move-to-watch', 'watch'],
      ['watch-list-2018: after it', graded('2027-01-04', { status: 'watch' }), 'record-commitment', 'watch'],
      ['removal any day, graded or not', graded('2026-01-01'), 'remove', 'removed'],
      ['application-2025: removal', black({ repairPath: 'application-2025' }), 'remove', 'removed'],
      ['none: removal', black({ repairPath: 'none' }), 'remove', 'removed'],
    ])('allows %s', (_, state, action, status) => {
      const outcome = transition(state, action);
      expect(outcome.ok && outcome.status).toBe(status);
    });

    it.each<[string, LifecycleState, TransitionAction, RegExp]>([
      ['application-2025: the 2018 steps', black({ repairPath: 'application-2025' }), 'move-to-watch', /application/],
      ['none: the 2018 steps', black({ repairPath: 'none' }), 'record-training', /not repairable/],
    ])('refuses %s', (_, state, action, reason) => {
      const outcome = transition(state, action);
      expect(!outcome.ok && outcome.reason).toMatch(reason);
    });

    it.each<[TransitionAction, Partial<LifecycleState>]>([
      ['move-to-watch', {}],
      ['record-commitment', { status: 'watch' }],
      ['record-training', { status: 'watch', commitmentRecorded: true }],
    ])('refuses %s the day before repairableFrom, with the date', (action, over) => {
      expect(transition(graded('2026-11-19', over), action)).toEqual({
        ok: false,
        reason: expect.stringContaining('2026-11-20') as string,
        repairableFrom: '2026-11-20',
      });
    });
  });

  describe('notice before listing (notice-first): each procedure × status × action', () => {
    // a notice-first entry noticed on 2026-11-13, its statement period until 2026-11-20
    const noticed = (over: Partial<LifecycleState> = {}) =>
      black({
        procedure: 'notice-first',
        repairPath: 'application-2025',
        status: 'noticed',
        statementDeadline: '2026-11-20',
        ...over,
      });
    type Expected = EntryStatus | RegExp;
    const NOT_NOTICED = /only a noticed entry/;
    const NOT_LISTED = /noticed \(拟列入\), not listed/;
    const TERMINAL = /nothing can change it/;
    const cases: [string, LifecycleState, Record<TransitionAction, Expected>][] = [
      [
        'direct, active',
        black(),
        {
          'move-to-watch': 'watch',
          'record-commitment': /watch list/,
          'record-training': /watch list/,
          remove: 'removed',
          decide: NOT_NOTICED,
          withdraw: NOT_NOTICED,
        },
      ],
      [
        'direct, watch',
        black({ status: 'watch' }),
        {
          'move-to-watch': /already on the watch list/,
          'record-commitment': 'watch',
          'record-training': 'watch',
          remove: 'removed',
          decide: NOT_NOTICED,
          withdraw: NOT_NOTICED,
        },
      ],
      [
        'notice-first, noticed, after the deadline, no statement',
        noticed({ on: '2026-11-23' }),
        {
          'move-to-watch': NOT_LISTED,
          'record-commitment': NOT_LISTED,
          'record-training': NOT_LISTED,
          remove: NOT_LISTED,
          decide: 'active',
          withdraw: 'withdrawn',
        },
      ],
      [
        'notice-first, noticed, on the deadline, no statement',
        noticed({ on: '2026-11-20' }),
        {
          'move-to-watch': NOT_LISTED,
          'record-commitment': NOT_LISTED,
          'record-training': NOT_LISTED,
          remove: NOT_LISTED,
          decide: /陈述申辩期至 2026-11-20/,
          withdraw: 'withdrawn',
        },
      ],
      [
        'notice-first, noticed, before the deadline, statement recorded',
        noticed({ on: '2026-11-16', statementRecorded: true }),
        {
          'move-to-watch': NOT_LISTED,
          'record-commitment': NOT_LISTED,
          'record-training': NOT_LISTED,
          remove: NOT_LISTED,
          decide: 'active',
          withdraw: 'withdrawn',
        },
      ],
      [
        'notice-first, active (decided)',
        noticed({ status: 'active', statementRecorded: true }),
        {
          'move-to-watch': /application/,
          'record-commitment': /application/,
          'record-training': /application/,
          remove: 'removed',
          decide: NOT_NOTICED,
          withdraw: NOT_NOTICED,
        },
      ],
      ...(['withdrawn', 'removed', 'expired'] as const).map(
        (status): [string, LifecycleState, Record<TransitionAction, Expected>] => [
          `notice-first, ${status}`,
          noticed({ status }),
          Object.fromEntries(TRANSITION_ACTIONS.map((a) => [a, TERMINAL])) as Record<TransitionAction, Expected>,
        ],
      ),
    ];
    it.each(
      cases.flatMap(([name, state, expected]) => TRANSITION_ACTIONS.map((a) => [name, a, state, expected[a]] as const)),
    )('%s: %s', (_, action, state, expected) => {
      const outcome = transition(state, action);
      if (typeof expected === 'string') expect(outcome).toMatchObject({ ok: true, status: expected });
      else expect(!outcome.ok && outcome.reason).toMatch(expected);
    });

    it('names the deadline when deciding before it without a statement', () => {
      expect(transition(noticed({ on: '2026-11-19' }), 'decide')).toEqual({
        ok: false,
        reason: expect.stringContaining('2026-11-20') as string,
        statementDeadline: '2026-11-20',
      });
    });

    it('announces a decision as listed and a withdrawal as withdrawn', () => {
      expect(transition(noticed({ on: '2026-11-23' }), 'decide')).toEqual({
        ok: true,
        status: 'active',
        event: 'listed',
      });
      expect(transition(noticed(), 'withdraw')).toEqual({ ok: true, status: 'withdrawn', event: 'withdrawn' });
    });
  });
});
