import type { AuditRecorder } from '@jrp/audit';
import type { CalendarOverride } from '@jrp/domain';
import type { OutboxService, UnitOfWork } from '@jrp/messaging';
import type { CalendarRepository } from './calendar.repository';
import { CALENDAR_TTL_MS, CalendarService, calendarYearProblems } from './calendar.service';

describe('calendarYearProblems: what the office may set as a year’s exceptions', () => {
  it.each([
    [
      'a weekday holiday and a weekend workday',
      [
        { date: '2027-02-08', kind: 'holiday' as const },
        { date: '2027-02-06', kind: 'workday' as const },
      ],
      [],
    ],
    [
      'a date that does not exist',
      [{ date: '2027-02-30', kind: 'holiday' as const }],
      [{ field: 'days.0.date', message: 'is not a real date' }],
    ],
    [
      'a date of another year',
      [{ date: '2028-02-07', kind: 'holiday' as const }],
      [{ field: 'days.0.date', message: 'is not in 2027' }],
    ],
    [
      'a weekend holiday',
      [{ date: '2027-02-06', kind: 'holiday' as const }],
      [{ field: 'days.0.kind', message: 'a weekend is not a working day anyway: only weekday holidays are listed' }],
    ],
    [
      'a weekday workday',
      [{ date: '2027-02-08', kind: 'workday' as const }],
      [
        {
          field: 'days.0.kind',
          message: 'a weekday is a working day anyway: only weekend make-up workdays are listed',
        },
      ],
    ],
    [
      'a date twice',
      [
        { date: '2027-02-08', kind: 'holiday' as const },
        { date: '2027-02-08', kind: 'holiday' as const },
      ],
      [{ field: 'days', message: 'a date appears twice' }],
    ],
  ])('%s', (_name, days, problems) => {
    expect(calendarYearProblems(2027, days)).toEqual(problems);
  });
});

describe('CalendarService.calendar: cached, and read again after its time', () => {
  afterEach(() => jest.useRealTimers());

  /** The service over rows whose reads are counted (writes are not used here). */
  function serviceOver(days: CalendarOverride[]) {
    let reads = 0;
    const repository = {
      allDays: () => {
        reads++;
        return Promise.resolve([...days]);
      },
      knownYears: () => Promise.resolve([2027]),
    } as unknown as CalendarRepository;
    const service = new CalendarService(repository, {} as UnitOfWork, {} as OutboxService, {} as AuditRecorder);
    return { service, reads: () => reads };
  }

  it('serves a change made on another replica within CALENDAR_TTL_MS, without being told', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const days: CalendarOverride[] = [];
    const { service, reads } = serviceOver(days);
    expect((await service.calendar()).isWorkday('2027-02-08')).toBe(true);
    days.push({ date: '2027-02-08', kind: 'holiday', name: '春节' }); // set through another replica
    jest.setSystemTime(1_000_000 + CALENDAR_TTL_MS - 1);
    expect((await service.calendar()).isWorkday('2027-02-08')).toBe(true);
    expect(reads()).toBe(1);
    jest.setSystemTime(1_000_000 + CALENDAR_TTL_MS);
    expect((await service.calendar()).isWorkday('2027-02-08')).toBe(false);
    expect(reads()).toBe(2);
  });

  it('reads again at once when told of a change', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const days: CalendarOverride[] = [];
    const { service, reads } = serviceOver(days);
    await service.calendar();
    days.push({ date: '2027-02-08', kind: 'holiday', name: '春节' });
    service.invalidate();
    expect((await service.calendar()).isWorkday('2027-02-08')).toBe(false);
    expect(reads()).toBe(2);
  });
});
