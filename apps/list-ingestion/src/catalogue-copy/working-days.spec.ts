import type { DataSource } from 'typeorm';
import type { CatalogueCopyRepository, KnownCalendarYear } from './catalogue-copy.repository';
import { WORKING_DAYS_TTL_MS, WorkingDays } from './working-days';

describe('WorkingDays: the calendar copy, cached', () => {
  afterEach(() => jest.useRealTimers());

  it('reads the copy again after its time, or once a change has been stored', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const years: KnownCalendarYear[] = [{ year: 2027, version: 1, days: [] }];
    let reads = 0;
    const copy = {
      calendarYears: () => {
        reads++;
        return Promise.resolve(years.map((y) => ({ ...y, days: [...y.days] })));
      },
    } as unknown as CatalogueCopyRepository;
    // outside a transaction of this data source, `dropAfterCommit` drops at once
    const workingDays = new WorkingDays(copy, {} as DataSource);
    expect((await workingDays.calendar()).isWorkday('2027-02-08')).toBe(true);
    years[0].days.push({ date: '2027-02-08', kind: 'holiday', name: '春节' }); // stored by another replica
    jest.setSystemTime(1_000_000 + WORKING_DAYS_TTL_MS - 1);
    expect((await workingDays.calendar()).isWorkday('2027-02-08')).toBe(true);
    jest.setSystemTime(1_000_000 + WORKING_DAYS_TTL_MS);
    expect((await workingDays.calendar()).isWorkday('2027-02-08')).toBe(false);
    expect(reads).toBe(2);
    years[0].days.push({ date: '2027-02-09', kind: 'holiday', name: '春节' }); // stored here
    workingDays.dropAfterCommit();
    expect((await workingDays.calendar()).isWorkday('2027-02-09')).toBe(false);
    expect(reads).toBe(3);
  });
});
