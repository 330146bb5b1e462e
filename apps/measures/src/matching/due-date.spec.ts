import { overridesFromLibrary, WorkingDayCalendar } from '@jrp/domain';
import { dueAtOf } from './due-date';

// The State Council's 2026 schedule as the holiday library has it: Spring Festival holidays
// 2026-02-15 … 02-23; make-up workdays Saturday 02-14 and Saturday 02-28.
const { overrides, years } = overridesFromLibrary([2026]);
const calendar = new WorkingDayCalendar(overrides, years);

describe('due dates in working days', () => {
  it('counts across the 2026 Spring Festival', () => {
    // Thu 02-12 + 5: Fri 13, Sat 14 (make-up), Tue 24, Wed 25, Thu 26
    expect(dueAtOf(calendar, '2026-02-12', 5).toISOString()).toBe('2026-02-26T15:59:59.999Z');
  });

  it('counts a make-up Saturday as a working day', () => {
    expect(dueAtOf(calendar, '2026-02-13', 1).toISOString()).toBe('2026-02-14T15:59:59.999Z');
    expect(dueAtOf(calendar, '2026-02-27', 1).toISOString()).toBe('2026-02-28T15:59:59.999Z');
  });

  it('skips an ordinary weekend', () => {
    // Fri 2026-11-06 + 1 → Mon 11-09
    expect(dueAtOf(calendar, '2026-11-06', 1).toISOString()).toBe('2026-11-09T15:59:59.999Z');
  });
});
