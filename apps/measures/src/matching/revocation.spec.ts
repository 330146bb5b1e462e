import { ListEntryEvents } from '@jrp/contracts';
import { overridesFromLibrary, WorkingDayCalendar } from '@jrp/domain';
import { revocationOf, revocationReasonOf } from './revocation';

const { overrides, years } = overridesFromLibrary([2026]);
const calendar = new WorkingDayCalendar(overrides, years);

describe('revocations: why, and by when lifting is to be confirmed', () => {
  it.each([
    { status: 'watch', event: ListEntryEvents.MovedToWatch, reason: 'repair' },
    { status: 'removed', event: ListEntryEvents.Removed, reason: 'removal' },
    { status: 'removed', event: ListEntryEvents.TrainingRecorded, reason: 'removal' },
    { status: 'removed', event: ListEntryEvents.ObjectionDecided, reason: 'objection-upheld' },
    { status: 'removed', event: ListEntryEvents.Repaired, reason: 'repair' },
    { status: 'expired', event: ListEntryEvents.Expired, reason: 'expiry' },
    { status: 'active', event: ListEntryEvents.Updated, reason: 'rematch' },
    { status: 'active', event: ListEntryEvents.ObjectionDecided, reason: 'rematch' },
    { status: 'active', event: null, reason: 'rematch' },
    { status: 'withdrawn', event: ListEntryEvents.Withdrawn, reason: 'removal' },
    { status: 'noticed', event: ListEntryEvents.Noticed, reason: 'rematch' },
  ] as const)('$status after $event → $reason', ({ status, event, reason }) => {
    expect(revocationReasonOf(status, event)).toBe(reason);
  });

  it('counts the deadline in working days from the day of the revocation in Asia/Shanghai', () => {
    // Friday 2026-02-13 23:30 in Shanghai + 5: Sat 14 (make-up), Tue 24, Wed 25, Thu 26, Fri 27
    expect(revocationOf('removal', new Date('2026-02-13T15:30:00Z'), calendar, 5)).toEqual({
      reason: 'removal',
      revokedAt: '2026-02-13T15:30:00.000Z',
      liftBy: '2026-02-27T15:59:59.999Z',
    });
    // Friday 2026-11-06 + 1 → Monday 11-09
    expect(revocationOf('repair', new Date('2026-11-06T02:00:00Z'), calendar, 1).liftBy).toBe(
      '2026-11-09T15:59:59.999Z',
    );
    expect(revocationOf('rematch', new Date('2026-11-06T02:00:00Z'), calendar, 5).liftBy).toBeNull();
  });
});
