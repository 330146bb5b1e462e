import { TaskEvents } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { uniquePrefix, waitFor } from '@jrp/testing';
import { applyUntilOf } from '../../apps/measures/src/matching/term';
import { TermJob } from '../../apps/measures/src/matching/term.job';
import { COURT, courtEntry, OFFICE, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';
import { taskEvents } from '../support/task-events';

const FINANCE = 'AH-FINANCE'; // M01-10, M01-11, M01-12 for 失信被执行人 legal subjects: no term
const AVIATION = 'AH-CIVIL-AVIATION'; // M01-01 with the railway

type Measure = { id: string; text: string; applyUntil?: string | null };
type Task = { id: string; entryId: string; version: number; status: string; measures: Measure[] };
type Revocation = { reason: string; revokedAt: string; liftBy: string | null };

/** A date n days before today (Asia/Shanghai). */
const daysAgo = (n: number) =>
  new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * 措施期限 on a real broker: M01-01 (限制乘坐飞机、高铁, the railway and civil aviation) given a 36-month
 * term in a new catalogue version. An entry in its term is dispatched with `applyUntil`; the term job, told
 * the day after that, revokes the measure's tasks `term-ended` (the others' stay); an entry listed four
 * years ago gets no task for it; a version shortening the term to 12 months recomputes every `applyUntil`,
 * revoking the tasks whose shorter term has run (`term-ended`, lifting owed and confirmed, in the lifting
 * report as 期限届满) and updating the others.
 */
describe('measures’ terms (措施期限)', () => {
  const topics = uniquePrefix('terms').replace(/_/g, '-').slice(0, -1) + '.';
  const suite = useStandalone('terms', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics });
  const put = async (path: string, body: object) =>
    suite.api
      .http()
      .put(path)
      .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
      .send(body);

  async function publishTerm(termMonths: number, version: number): Promise<void> {
    const office = await suite.api.as(OFFICE);
    const draft = (await office.get('/api/v1/catalogue/draft')).body.document;
    const { code: _, ...m0101 } = draft.measures.find((m: { code: string }) => m.code === 'M01-01');
    const saved = await put('/api/v1/catalogue/draft/measures/M01-01', { ...m0101, termMonths, termFrom: 'listing' });
    expect(saved.status).toBe(200);
    const published = await office.post('/api/v1/catalogue/versions', {
      note: `限制乘坐飞机、高铁 ${termMonths} 个月`,
    });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ version, changes: { measures: { added: 0, removed: 0, changed: 1 } } });
    await waitFor(
      `re-matching for version ${version} done`,
      async () => (await office.get(`/api/v1/catalogue/versions/${version}/rematch`)).body.status === 'done',
      30000,
    );
  }

  async function list(n: number, listedAt: string): Promise<string> {
    const res = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', courtEntry(n, { listedAt }));
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function taskOf(code: string, entryId: string, status?: string): Promise<Task> {
    const client = await suite.api.as(code);
    return waitFor(
      `${code}'s ${status ?? ''} task for ${entryId}`,
      async () => {
        const res = await client.get(`/api/v1/tasks?${status ? `status=${status}&` : ''}limit=500`);
        return res.body.items.find((t: Task) => t.entryId === entryId);
      },
      30000,
    );
  }
  const taskById = async (code: string, id: string) =>
    (await (await suite.api.as(code)).get(`/api/v1/tasks/${id}`)).body as Task & { revocation: Revocation | null };
  const tasksOfEntry = (entryId: string) =>
    suite.measures.query<{ organization: string; status: string; version: number }>(
      `SELECT organization, status, version FROM tasks WHERE entry_id = $1 ORDER BY organization`,
      [entryId],
    );

  const inTermListed = daysAgo(700);
  const lateListed = daysAgo(4 * 365 + 10);
  const shortenedListed = daysAgo(400);
  const recentListed = daysAgo(100);
  let inTerm: string;
  let late: string;
  let shortened: string;
  let recent: string;

  beforeAll(async () => {
    await publishTerm(36, 2);
    inTerm = await list(9101, inTermListed);
    late = await list(9102, lateListed);
    shortened = await list(9103, shortenedListed);
    recent = await list(9104, recentListed);
    for (const entry of [inTerm, late, shortened, recent]) await taskOf(FINANCE, entry, 'open');
  });

  it('reads the term back in the catalogue (termMonths, termFrom)', async () => {
    const measures = (await (await suite.api.as(OFFICE)).get('/api/v1/catalogue/versions/2')).body.measures;
    const byCode = new Map(measures.map((m: { code: string }) => [m.code, m]));
    expect(byCode.get('M01-01')).toMatchObject({ termMonths: 36, termFrom: 'listing' });
    expect(byCode.get('M01-10')).toMatchObject({ termMonths: null, termFrom: null });
    // a term out of range is refused on the field, nothing stored
    const bad = await put('/api/v1/catalogue/draft/measures/M01-02', {
      ...(({ code: _, ...m }) => m)(measures.find((m: { code: string }) => m.code === 'M01-02')),
      termMonths: 0,
      termFrom: 'removal',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['termFrom', 'termMonths']);
  });

  it('dispatches an entry in its term with applyUntil (task, feed), the measures without a term without', async () => {
    const railway = await taskOf(RAILWAY, inTerm, 'open');
    const until = applyUntilOf(inTermListed, 36);
    expect(railway.measures).toEqual([expect.objectContaining({ id: 'M01-01', applyUntil: until })]);
    expect((await taskById(RAILWAY, railway.id)).measures[0].applyUntil).toBe(until);
    const feed = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000');
    const item = feed.body.items.find((i: { task: Task }) => i.task.id === railway.id);
    expect(item.task.measures[0].applyUntil).toBe(until);
    const finance = await taskOf(FINANCE, inTerm, 'open');
    expect(finance.measures.every((m) => m.applyUntil === undefined || m.applyUntil === null)).toBe(true);
  });

  it('gives an entry whose term ran before its listing no task for that measure, the others as usual', async () => {
    expect((await tasksOfEntry(late)).map((t) => t.organization)).not.toContain(RAILWAY);
    expect((await tasksOfEntry(late)).map((t) => t.organization)).toContain(FINANCE);
  });

  it('ends the tasks of a measure whose term has run, by the job on the day after (term-ended); nothing twice', async () => {
    const job = suite.app.get(TermJob);
    const until = applyUntilOf(inTermListed, 36);
    const before = await tasksOfEntry(inTerm);
    // the last day still applies
    expect(await job.runOnce(new Date(`${until}T23:59:00+08:00`))).toBe(0);
    expect(await tasksOfEntry(inTerm)).toEqual(before);

    const after = new Date(`${dayAfter(until)}T00:30:00+08:00`);
    expect(await job.runOnce(after)).toBeGreaterThanOrEqual(2); // the railway's and civil aviation's tasks
    const railway = await taskOf(RAILWAY, inTerm, 'revoked');
    const revoked = await taskById(RAILWAY, railway.id);
    expect(revoked.revocation).toMatchObject({ reason: 'term-ended', revokedAt: after.toISOString() });
    expect(revoked.revocation!.liftBy).not.toBeNull(); // lifting owed, as for a removal
    expect((await taskOf(AVIATION, inTerm, 'revoked')).status).toBe('revoked');
    // the other departments' tasks stand, unchanged
    const rest = (await tasksOfEntry(inTerm)).filter((t) => ![RAILWAY, AVIATION].includes(t.organization));
    expect(rest).toEqual(before.filter((t) => ![RAILWAY, AVIATION].includes(t.organization)));
    expect(rest.every((t) => t.status === 'open')).toBe(true);

    // a feed change and an event through the outbox
    const feed = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000');
    expect(
      feed.body.items
        .filter((i: { task: Task }) => i.task.id === railway.id)
        .map((i: { type: string; task: { revocation?: Revocation } }) => [i.type, i.task.revocation?.reason ?? null]),
    ).toEqual([
      ['dispatched', null],
      ['revoked', 'term-ended'],
    ]);
    const events = await taskEvents<{ revocation: Revocation | null }>(suite.measures, 'task_id = $1', [railway.id]);
    expect(events.map((e) => [e.type, e.data.revocation?.reason ?? null])).toEqual([
      [TaskEvents.Dispatched, null],
      [TaskEvents.Revoked, 'term-ended'],
    ]);

    // again, and later: nothing more
    const settled = await tasksOfEntry(inTerm);
    expect(await job.runOnce(after)).toBe(0);
    expect(await job.runOnce(new Date(after.getTime() + 30 * 86_400_000))).toBe(0);
    expect(await tasksOfEntry(inTerm)).toEqual(settled);
  });

  it('recomputes every applyUntil when a version changes the term: run terms end, the others are updated', async () => {
    const shortenedTask = await taskOf(RAILWAY, shortened, 'open');
    const recentTask = await taskOf(RAILWAY, recent, 'open');
    expect(recentTask.measures[0].applyUntil).toBe(applyUntilOf(recentListed, 36));
    await publishTerm(12, 3);

    // 400 days ago + 12 months has run: revoked as of now, term-ended
    const revoked = await taskById(RAILWAY, shortenedTask.id);
    expect([revoked.status, revoked.version, revoked.revocation?.reason]).toEqual([
      'revoked',
      shortenedTask.version + 1,
      'term-ended',
    ]);
    // 100 days ago + 12 months has not: updated with the new last day, its due date and receipt kept
    const updated = await taskById(RAILWAY, recentTask.id);
    expect([updated.status, updated.version]).toEqual(['open', recentTask.version + 1]);
    expect(updated.measures).toEqual([
      expect.objectContaining({ id: 'M01-01', applyUntil: applyUntilOf(recentListed, 12) }),
    ]);
    // the finance department's tasks carry no term: untouched
    expect((await taskOf(FINANCE, recent, 'open')).version).toBe(1);
  });

  it('has the department confirm lifting of a term-ended task, shown in the lifting report as 期限届满', async () => {
    const task = await taskOf(RAILWAY, shortened, 'revoked');
    const confirmed = await (
      await suite.api.as(RAILWAY)
    ).post(`/api/v1/tasks/${task.id}/lifted`, {
      liftedAt: todayInShanghai(),
      note: '期限届满，已解除高铁限制',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'revoked', revocation: { reason: 'term-ended' } });

    type Row = { entryId: string; organization: string; reason: string; reasonLabel: string; state: string };
    const rows = await waitFor(
      'the term-ended tasks in the lifting report',
      async () => {
        const res = await (await suite.api.as(OFFICE)).get('/api/v1/reports/lifting');
        const mine = (res.body.items as Row[]).filter((r) => r.organization === RAILWAY);
        return mine.some((r) => r.entryId === shortened && r.state === 'confirmed') &&
          mine.some((r) => r.entryId === inTerm)
          ? mine
          : undefined;
      },
      30000,
    );
    expect(rows.find((r) => r.entryId === shortened)).toMatchObject({
      reason: 'term-ended',
      reasonLabel: '期限届满',
      state: 'confirmed',
    });
    // revoked by the job as of the day after the term: its confirmation is owed, not yet given
    expect(rows.find((r) => r.entryId === inTerm)).toMatchObject({ reason: 'term-ended', state: 'pending' });
  });
});
