import { LifecycleState, transition, TransitionAction } from './lifecycle';

const black = (over: Partial<LifecycleState> = {}): LifecycleState => ({
  status: 'active',
  colour: 'black',
  repairable: true,
  commitmentRecorded: false,
  trainingRecorded: false,
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
    ['red active → removed', black({ colour: 'red', repairable: false }), 'remove', 'removed'],
    ['not repairable → removed', black({ repairable: false }), 'remove', 'removed'],
  ])('allows %s', (_, state, action, status) => {
    const outcome = transition(state, action);
    expect(outcome.ok && outcome.status).toBe(status);
  });

  it.each<[string, LifecycleState, TransitionAction, RegExp]>([
    ['repair steps on a list that is not repairable', black({ repairable: false }), 'move-to-watch', /not repairable/],
    [
      'a commitment on a list that is not repairable',
      black({ repairable: false, status: 'active' }),
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
});
