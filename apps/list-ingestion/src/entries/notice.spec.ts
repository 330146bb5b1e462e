import { WorkingDayCalendar } from '@jrp/domain';
import { listingStart, STATEMENT_WORKING_DAYS } from './notice';

// 2026: Spring Festival holiday 02-15…02-23, make-up workday Sat 02-14 (the project's calendar)
const calendar = new WorkingDayCalendar(
  [
    ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => ({
      date: `2026-02-${d}`,
      kind: 'holiday' as const,
    })),
    { date: '2026-02-14', kind: 'workday' as const },
  ],
  [2026],
);
const context = (today: string) => ({ today, listedAt: '2026-02-10', publishedBy: 'AH-STATS', calendar });

describe('listingStart (notice before listing)', () => {
  it('counts the statement period in working days', () => expect(STATEMENT_WORKING_DAYS).toBe(5));

  it.each([
    [
      'direct: listed, no notice',
      'direct',
      undefined,
      '2026-02-10',
      { status: 'active', notice: null, statementDeadline: null },
    ],
    [
      'notice-first, served by jrp today: noticed, 5 working days (a make-up Saturday counts, the holiday not)',
      'notice-first',
      undefined,
      '2026-02-10',
      {
        status: 'noticed',
        notice: { servedOn: '2026-02-10', documentNo: null, servedOutside: false },
        statementDeadline: '2026-02-24',
      },
    ],
    [
      'notice-first, served outside, period still running: noticed from servedOn',
      'notice-first',
      { servedOn: '2026-02-09', documentNo: ' 皖统告〔2026〕1号 ' },
      '2026-02-13',
      {
        status: 'noticed',
        notice: { servedOn: '2026-02-09', documentNo: '皖统告〔2026〕1号', servedOutside: true },
        statementDeadline: '2026-02-14',
      },
    ],
    [
      'notice-first, served outside, the deadline is today: still noticed',
      'notice-first',
      { servedOn: '2026-02-09', documentNo: 'N1' },
      '2026-02-14',
      { status: 'noticed', statementDeadline: '2026-02-14' },
    ],
    [
      'notice-first, served outside, the period has passed: listed directly, decided at listedAt by the publisher',
      'notice-first',
      { servedOn: '2026-02-09', documentNo: 'N1' },
      '2026-02-24',
      {
        status: 'active',
        statementDeadline: '2026-02-14',
        decision: { outcome: 'listed', at: '2026-02-10', by: 'AH-STATS' },
      },
    ],
  ] as const)('%s', (_, procedure, served, today, expected) => {
    expect(listingStart(procedure, served, context(today))).toMatchObject(expected);
  });

  it.each([
    [{ servedOn: '2026-02-30', documentNo: 'N1' }, /not a calendar date/],
    [{ servedOn: '2026-02-11', documentNo: 'N1' }, /must not be after today/],
  ])('refuses servedOn %j with a field error', (served, message) => {
    expect(listingStart('notice-first', served, context('2026-02-10'))).toEqual({
      field: 'notice.servedOn',
      message: expect.stringMatching(message) as string,
    });
  });
});
