import { calendarYearProblems } from './calendar.service';

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
