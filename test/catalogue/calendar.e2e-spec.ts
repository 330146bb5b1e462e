import { endOfDayShanghai, todayInShanghai, WorkingDayCalendar } from '@jrp/domain';
import { waitFor } from '@jrp/testing';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

const OFFICE = 'AH-CREDIT-OFFICE';

/** The working-day calendar: seeded from the holiday library, set by the provincial office, shared by event. */
describe('working-day calendar', () => {
  const suite = useStandalone('cal');

  it('holds the 2026 schedule from the holiday library', async () => {
    const res = await (await suite.api.as(RAILWAY)).get('/api/v1/catalogue/calendar/2026');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2026, covered: true, source: 'library' });
    const kinds = Object.fromEntries(res.body.days.map((d: { date: string; kind: string }) => [d.date, d.kind]));
    expect(kinds['2026-02-14']).toBe('workday'); // make-up Saturday
    expect(kinds['2026-02-16']).toBe('holiday'); // Spring Festival, a Monday
    expect(kinds['2026-02-28']).toBe('workday');
  });

  it('lets the provincial office add a year the library lacks, and shares it with list-ingestion', async () => {
    const office = await suite.api.as(OFFICE);
    const before = await office.get('/api/v1/catalogue/calendar/2027');
    expect(before.body.covered).toBe(false);
    const days = [
      { date: '2027-02-08', kind: 'holiday', name: '春节' },
      { date: '2027-02-20', kind: 'workday', name: '春节调休' },
    ];
    const res = await suite.api
      .http()
      .put('/api/v1/catalogue/calendar/2027')
      .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
      .send({ days });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2027, covered: true, source: 'office', version: 1 });
    await waitFor('list-ingestion knows 2027', async () => {
      const [row] = await suite.lists.query<{ version: number; days: unknown[] }>(
        `SELECT version, days FROM known_calendar_years WHERE year = 2027`,
      );
      return row?.days.length === 2;
    });
    const audit = await office.get('/api/v1/admin/audit?objectType=calendar&objectId=2027');
    await waitFor(
      'audited',
      async () => (await office.get('/api/v1/admin/audit?objectType=calendar&objectId=2027')).body.items.length === 1,
    );
    expect(audit.status).toBe(200);
  });

  it('refuses a weekday declared a workday, a weekend declared a holiday, another year’s date', async () => {
    const res = await suite.api
      .http()
      .put('/api/v1/catalogue/calendar/2027')
      .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
      .send({
        days: [
          { date: '2027-03-03', kind: 'workday' },
          { date: '2027-03-06', kind: 'holiday' },
          { date: '2028-01-03', kind: 'holiday' },
        ],
      });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'days.0.kind',
      'days.1.kind',
      'days.2.date',
    ]);
  });

  it('dates new tasks with the corrected calendar', async () => {
    const office = await suite.api.as(OFFICE);
    const today = todayInShanghai();
    const year = Number(today.slice(0, 4));
    type Day = { date: string; kind: 'workday' | 'holiday'; name?: string };
    const current = (
      (await office.get(`/api/v1/catalogue/calendar/${year}`)).body.days as (Day & { name: string | null })[]
    ).map(({ date, kind, name }) => ({
      date,
      kind,
      ...(name ? { name } : {}),
    }));
    const calendar = new WorkingDayCalendar(current, [year, year + 1]);
    const nextWorkday = calendar.addWorkingDays(today, 1);
    expect(nextWorkday > today).toBe(true);
    // the next working day stops being one: a weekday becomes a holiday, a make-up weekend day an ordinary weekend
    const weekday = ![0, 6].includes(new Date(`${nextWorkday}T00:00:00Z`).getUTCDay());
    const corrected: Day[] = current
      .filter((d) => d.date !== nextWorkday)
      .concat(weekday ? [{ date: nextWorkday, kind: 'holiday', name: '临时调整' }] : []);
    const put = await suite.api
      .http()
      .put(`/api/v1/catalogue/calendar/${nextWorkday.slice(0, 4)}`)
      .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
      .send({ days: corrected.filter((d) => d.date.startsWith(nextWorkday.slice(0, 4))) });
    expect(put.status).toBe(200);

    const entry = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', courtEntry(7001));
    const task = await waitFor('railway task', async () => {
      const feed = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000');
      return feed.body.items.find((i: { task: { entryId: string } }) => i.task.entryId === entry.body.id)?.task;
    });
    const catalogue = (await office.get('/api/v1/catalogue/measures?listType=BL-COURT-DEBTOR')).body.items as {
      implementingOrganizations: string[];
      feedbackDueWorkingDays: number;
    }[];
    const days = Math.min(
      ...catalogue.filter((x) => x.implementingOrganizations.includes(RAILWAY)).map((x) => x.feedbackDueWorkingDays),
    );
    const withCorrection = new WorkingDayCalendar(corrected, [year, year + 1]);
    expect(task.dueAt).toBe(endOfDayShanghai(withCorrection.addWorkingDays(today, days)).toISOString());
    expect(task.dueAt).not.toBe(endOfDayShanghai(calendar.addWorkingDays(today, days)).toISOString());
  });
});
