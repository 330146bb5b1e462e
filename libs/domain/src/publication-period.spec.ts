import { Grade, NATIONAL_GRADE_PERIODS } from '@jrp/contracts';
import { addMonths, publicationDates } from './publication-period';
import { overridesFromLibrary, WorkingDayCalendar } from './working-days';

const library = overridesFromLibrary([2024, 2025, 2026]);
const calendar = new WorkingDayCalendar(library.overrides, library.years);
const graded = { grades: NATIONAL_GRADE_PERIODS, defaultGrade: 'serious' as const };

describe('addMonths (民法典 第二百零二条: the corresponding day, or the month’s last day)', () => {
  it.each([
    ['2026-01-15', 3, '2026-04-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'], // leap year
    ['2026-01-31', 3, '2026-04-30'],
    ['2024-02-29', 12, '2025-02-28'], // a leap day has no corresponding day a year later
    ['2024-02-29', 48, '2028-02-29'],
    ['2025-08-31', 3, '2025-11-30'],
    ['2026-12-15', 3, '2027-03-15'], // across the year's end
    ['2026-05-20', 0, '2026-05-20'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('refuses what is not a date or a whole number of months', () => {
    expect(() => addMonths('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('2026-02-01', -1)).toThrow(RangeError);
    expect(() => addMonths('2026-02-01', 1.5)).toThrow(RangeError);
  });
});

describe('publicationDates (信用修复管理办法 2025: grades and publication periods)', () => {
  it.each([
    // grade, listedAt, validUntil, publicUntil, repairableFrom, why
    ['minor', '2026-01-31', null, '2026-04-30', '2026-01-31', 'no minimum: repairable at once, even on a Saturday'],
    ['minor', '2026-03-10', null, '2026-06-10', '2026-03-10', 'at most 3 months'],
    ['general', '2026-01-15', null, '2027-01-15', '2026-04-16', 'minimum ends Wed 04-15: repairable the next day'],
    ['general', '2025-11-14', null, '2026-11-14', '2026-02-24', 'minimum ends Sat 02-14; 02-15…02-23 春节: Tue 02-24'],
    ['general', '2025-11-27', null, '2026-11-27', '2026-02-28', 'the day after is Sat 02-28, a make-up workday (调休)'],
    ['general', '2026-01-31', null, '2027-01-31', '2026-05-06', 'minimum ends 04-30 (no 04-31); 05-01…05-05 劳动节'],
    ['general', '2025-08-31', null, '2026-08-31', '2025-12-01', 'minimum ends Sun 11-30 (month end): Mon 12-01'],
    ['serious', '2025-09-30', null, '2028-09-30', '2026-10-08', 'minimum ends 2026-09-30; 10-01…10-07 国庆节'],
    ['serious', '2024-02-29', null, '2027-02-28', '2025-03-03', 'leap day: ends 2025-02-28; Sat 03-01: Mon 03-03'],
    [
      'serious',
      '2025-01-01',
      null,
      '2028-01-01',
      '2026-01-04',
      'minimum ends 2026-01-01 元旦; Sun 01-04 is a make-up workday',
    ],
    [
      'general',
      '2026-03-10',
      '2026-06-30',
      '2026-06-30',
      '2026-06-11',
      'the entry’s own validity ends publication earlier',
    ],
    ['general', '2026-03-10', '2029-12-31', '2027-03-10', '2026-06-11', 'but never later than the grade’s maximum'],
  ] as [Grade, string, string | null, string, string, string][])(
    '%s listed %s (valid until %s): public until %s, repairable from %s — %s',
    (grade, listedAt, validUntil, publicUntil, repairableFrom) => {
      expect(publicationDates({ ...graded, listedAt, validUntil, grade }, calendar)).toEqual({
        grade,
        publicUntil,
        repairableFrom,
      });
    },
  );

  it('gives the list type’s default grade when the publisher names none', () => {
    expect(publicationDates({ ...graded, listedAt: '2026-03-10', validUntil: null }, calendar)).toEqual({
      grade: 'serious',
      publicUntil: '2029-03-10',
      repairableFrom: '2027-03-11', // the day after the minimum's last day (Wed 03-10)
    });
    expect(
      publicationDates(
        { ...graded, defaultGrade: 'general', listedAt: '2026-03-10', validUntil: null, grade: null },
        calendar,
      ),
    ).toMatchObject({ grade: 'general', publicUntil: '2027-03-10' });
  });

  it('follows a longer period set by law (the rule set’s maximum), and a grade’s own minimum', () => {
    const law = [{ grade: 'serious' as const, minimumMonths: 24, maximumMonths: 60 }];
    expect(
      publicationDates({ grades: law, defaultGrade: 'serious', listedAt: '2026-03-10', validUntil: null }, calendar),
    ).toEqual({ grade: 'serious', publicUntil: '2031-03-10', repairableFrom: '2028-03-13' }); // 2028-03-11 is a Saturday
  });

  it('refuses a grade the list type does not allow, on the grade field', () => {
    const seriousOnly = [{ grade: 'serious' as const, minimumMonths: 12, maximumMonths: 36 }];
    const refused = publicationDates(
      { grades: seriousOnly, defaultGrade: 'serious', listedAt: '2026-03-10', validUntil: null, grade: 'minor' },
      calendar,
    );
    expect(refused).toHaveProperty('field', 'grade');
    expect((refused as { message: string }).message).toMatch(/不允许.*allowed: serious/);
  });

  it('leaves entries of a list type without grades ungraded (the 2018 path), and refuses a grade there', () => {
    expect(
      publicationDates({ grades: [], defaultGrade: null, listedAt: '2026-03-10', validUntil: '2029-03-09' }, calendar),
    ).toEqual({ grade: null, publicUntil: null, repairableFrom: null });
    const refused = publicationDates(
      { grades: [], defaultGrade: null, listedAt: '2026-03-10', validUntil: null, grade: 'general' },
      calendar,
    );
    expect(refused).toHaveProperty('field', 'grade');
    expect((refused as { message: string }).message).toMatch(/不分失信等级/);
  });
});
