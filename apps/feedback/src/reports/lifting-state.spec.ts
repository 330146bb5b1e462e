import { liftingStateOf } from './lifting-state';

// the deadline: the end of Friday 2026-11-27 in Asia/Shanghai
const liftBy = new Date('2026-11-27T15:59:59.999Z');

describe('liftingStateOf: confirmed, pending or overdue', () => {
  it.each([
    {
      name: 'confirmed before the deadline',
      confirmed: '2026-11-25T02:00:00Z',
      now: '2026-11-26T00:00:00Z',
      state: 'confirmed',
    },
    {
      name: 'confirmed after the deadline is still confirmed',
      confirmed: '2026-12-01T02:00:00Z',
      now: '2026-12-02T00:00:00Z',
      state: 'confirmed',
    },
    { name: 'not confirmed, before the deadline', confirmed: null, now: '2026-11-26T00:00:00Z', state: 'pending' },
    {
      name: 'not confirmed, at the last instant of the deadline',
      confirmed: null,
      now: '2026-11-27T15:59:59.999Z',
      state: 'pending',
    },
    {
      name: 'not confirmed, just after the deadline',
      confirmed: null,
      now: '2026-11-27T16:00:00.000Z',
      state: 'overdue',
    },
    { name: 'not confirmed, long after', confirmed: null, now: '2027-01-10T00:00:00Z', state: 'overdue' },
  ])('$name → $state', ({ confirmed, now, state }) => {
    expect(liftingStateOf(liftBy, confirmed ? new Date(confirmed) : null, new Date(now))).toBe(state);
  });
});
