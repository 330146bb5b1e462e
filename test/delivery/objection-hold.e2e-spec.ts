import { TaskEvents, Topics } from '@jrp/contracts';
import { EventBus } from '@jrp/messaging';
import { makeUscc, uniquePrefix, waitFor } from '@jrp/testing';
import { COURT, courtEntry, OFFICE, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';
import { taskEvents as sentTaskEvents } from '../support/task-events';

const FINANCE = 'AH-FINANCE'; // implements M01-10, M01-11, M01-12 for 失信被执行人 legal subjects
const TAX = 'AH-TAX'; // identifies 重大税收违法案件当事人 (the 2018 path; its rule set does not hold)
const PSB = 'AH-PSB'; // implements M02-02 for 重大税收违法案件当事人

type Task = {
  id: string;
  entryId: string;
  version: number;
  status: string;
  statusLabel: string;
  dueAt: string | null;
  overdue: boolean;
  disputed: boolean;
  acknowledgedAt: string | null;
  revocation: { reason: string } | null;
};
type FeedItem = { type: string; typeLabel: string; task: { id: string; version: number; status: string } };

const taxEntry = (n: number) => ({
  listType: 'BL-TAX-MAJOR-CASE',
  subject: { kind: 'legal', name: `异议暂停测试公司${n}`, uscc: makeUscc(8800 + n) },
  reason: '虚开增值税专用发票',
  decidedBy: '国家税务总局安徽省税务局稽查局',
  identificationLevel: 'provincial',
  documentNo: `皖税稽罚〔2026〕88${n}号`,
  listedAt: '2026-11-02',
  region: '340104',
});

/**
 * 异议期间暂停实施 on a real broker: the office turns `objectionHoldsMeasures` on for 失信被执行人; an objection
 * on an entry puts every task on hold (a `held` change in the feed), which takes no feedback, receipt or
 * return and has no due date; rejecting it releases them with a new due date; an upheld objection revokes
 * them from on hold; a list type that does not hold keeps its tasks open (disputed flag only), until a
 * catalogue version makes it hold, when the rematch holds them. Replaying the events changes nothing.
 */
describe('objections that hold measures (异议期间暂停实施)', () => {
  const topics = uniquePrefix('hold').replace(/_/g, '-').slice(0, -1) + '.';
  const suite = useStandalone('objection_hold', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics });
  let rejected: string; // an entry whose objection is rejected
  let upheld: string; // an entry whose objection is upheld (removed)
  let taxed: string; // an entry of a list type that does not hold
  let railwayTask: Task;
  let financeTask: Task;
  let rejectedObjection: string;

  async function setHolds(codes: string[], note: string): Promise<void> {
    const office = await suite.api.as(OFFICE);
    const draft = (await office.get('/api/v1/catalogue/draft')).body.document as {
      listTypes: Record<string, unknown>[];
    };
    for (const l of draft.listTypes) if (codes.includes(l.code as string)) l.objectionHoldsMeasures = true;
    const put = await suite.api
      .http()
      .put('/api/v1/catalogue/draft')
      .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
      .send(draft);
    expect(put.status).toBe(200);
    expect(put.body.problems).toEqual([]);
    const published = await office.post('/api/v1/catalogue/versions', { note });
    expect(published.status).toBe(201);
    const version = published.body.version as number;
    await waitFor(
      'the re-matching of the new version done',
      async () =>
        (await office.get(`/api/v1/catalogue/versions/${version}/rematch`)).body.status === 'done' ? true : undefined,
      30000,
    );
  }

  async function publish(code: string, body: object): Promise<string> {
    const res = await (await suite.api.as(code)).post('/api/v1/lists/entries', body);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function taskOf(code: string, entryId: string, status: string): Promise<Task> {
    const client = await suite.api.as(code);
    return waitFor(
      `${code}'s ${status} task for ${entryId}`,
      async () => {
        const res = await client.get(`/api/v1/tasks?status=${status}&limit=500`);
        return res.body.items.find((t: Task) => t.entryId === entryId);
      },
      30000,
    );
  }

  async function object(entryId: string): Promise<string> {
    const res = await (
      await suite.api.as(OFFICE)
    ).post(`/api/v1/lists/entries/${entryId}/objections`, { statement: '已履行，不应列入', contact: '0551-12345678' });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function decide(objectionId: string, upheldIt: boolean): Promise<void> {
    const res = await (
      await suite.api.as(OFFICE)
    ).post(`/api/v1/lists/objections/${objectionId}/decision`, {
      upheld: upheldIt,
      reason: upheldIt ? '认定错误，予以移出' : '异议不成立',
    });
    expect(res.status).toBe(200);
  }

  async function feedOf(code: string, taskId: string): Promise<FeedItem[]> {
    const res = await (await suite.api.as(code)).get('/api/v1/tasks/feed?limit=1000');
    expect(res.status).toBe(200);
    return res.body.items.filter((i: FeedItem) => i.task.id === taskId);
  }

  const knownStatus = async (taskId: string) =>
    (
      await suite.feedback.query<{ status: string; dueAt: Date | null }>(
        `SELECT status, due_at AS "dueAt" FROM known_tasks WHERE id = $1`,
        [taskId],
      )
    )[0];

  beforeAll(async () => {
    await setHolds(['BL-COURT-DEBTOR'], '规则集：失信被执行人异议期间暂停实施');
    expect(
      await suite.measures.query(
        `SELECT code, objection_holds_measures AS holds FROM list_types WHERE code IN ('BL-COURT-DEBTOR', 'BL-TAX-MAJOR-CASE') ORDER BY code`,
      ),
    ).toEqual([
      { code: 'BL-COURT-DEBTOR', holds: true },
      { code: 'BL-TAX-MAJOR-CASE', holds: false },
    ]);
    rejected = await publish(COURT, courtEntry(8801));
    upheld = await publish(COURT, courtEntry(8802));
    railwayTask = await taskOf(RAILWAY, rejected, 'open');
    financeTask = await taskOf(FINANCE, rejected, 'open');
    await taskOf(RAILWAY, upheld, 'open');
    // the railway has recorded receipt before the objection
    expect((await (await suite.api.as(RAILWAY)).post(`/api/v1/tasks/${railwayTask.id}/ack`, {})).status).toBe(200);
  });

  it('puts every task of the disputed entry on hold: a held change in the feed, no due date, receipt kept', async () => {
    rejectedObjection = await object(rejected);
    const held = await taskOf(RAILWAY, rejected, 'on-hold');
    expect(held).toMatchObject({
      status: 'on-hold',
      statusLabel: '暂停实施',
      dueAt: null,
      overdue: false,
      disputed: true,
    });
    expect(held.acknowledgedAt).not.toBeNull();
    const finance = await taskOf(FINANCE, rejected, 'on-hold');
    expect(finance).toMatchObject({ dueAt: null, acknowledgedAt: null });
    expect((await feedOf(RAILWAY, railwayTask.id)).map((i) => [i.type, i.typeLabel, i.task.status])).toEqual([
      ['dispatched', '下发', 'open'],
      ['acknowledged', '签收', 'acknowledged'],
      ['held', '暂停', 'on-hold'],
    ]);
    // every task of the entry, whoever implements it
    expect(await suite.measures.query(`SELECT DISTINCT status FROM tasks WHERE entry_id = $1`, [rejected])).toEqual([
      { status: 'on-hold' },
    ]);
    const events = await sentTaskEvents(suite.measures, 'task_id = $1', [railwayTask.id]);
    expect(events.map((e) => e.type)).toEqual([TaskEvents.Dispatched, TaskEvents.Acknowledged, TaskEvents.Held]);
  });

  it('refuses feedback, receipt and return of a held task (409, in Chinese), and counts it in no overdue list', async () => {
    const finance = await suite.api.as(FINANCE);
    await waitFor('feedback knows the task is on hold', async () =>
      (await knownStatus(financeTask.id))?.status === 'on-hold' ? true : undefined,
    );
    expect((await knownStatus(financeTask.id)).dueAt).toBeNull();
    const refused = await finance.post('/api/v1/feedback', {
      taskId: financeTask.id,
      items: [{ measureId: 'M01-10', outcome: 'no-business' }],
    });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('暂停实施'); // the detail, in whichever language field it lands
    const ack = await finance.post(`/api/v1/tasks/${financeTask.id}/ack`, {});
    expect(ack.status).toBe(409);
    expect(JSON.stringify(ack.body)).toContain('暂停实施');
    const ret = await finance.post(`/api/v1/tasks/${financeTask.id}/return`, { reason: '不属本部门' });
    expect(ret.status).toBe(409);
    expect(await suite.feedback.count(`SELECT * FROM feedback WHERE task_id = $1`, [financeTask.id])).toBe(0);

    const overdue = await (await suite.api.as(OFFICE)).get('/api/v1/reports/overdue');
    expect(overdue.status).toBe(200);
    expect(JSON.stringify(overdue.body)).not.toContain(financeTask.id);
    expect((await finance.get('/api/v1/tasks?overdue=true&limit=500')).body.items.map((t: Task) => t.id)).not.toContain(
      financeTask.id,
    );
  });

  it('releases the tasks when the objection is rejected, with the full period again from the release', async () => {
    await decide(rejectedObjection, false);
    const released = await taskOf(RAILWAY, rejected, 'acknowledged');
    expect(released).toMatchObject({ disputed: false, overdue: false });
    const finance = await taskOf(FINANCE, rejected, 'open');
    // due like a task dispatched today for the same measures (the upheld entry's, dispatched after the version)
    const fresh = await taskOf(RAILWAY, upheld, 'open');
    expect(released.dueAt).toBe(fresh.dueAt);
    expect(Date.parse(finance.dueAt!)).toBeGreaterThan(Date.now());
    expect((await feedOf(RAILWAY, railwayTask.id)).map((i) => [i.type, i.typeLabel, i.task.status])).toEqual([
      ['dispatched', '下发', 'open'],
      ['acknowledged', '签收', 'acknowledged'],
      ['held', '暂停', 'on-hold'],
      ['released', '恢复', 'acknowledged'],
    ]);
    // feedback is taken again once feedback knows the release
    await waitFor('feedback knows the task is released', async () =>
      (await knownStatus(financeTask.id))?.status === 'open' ? true : undefined,
    );
    const fed = await (
      await suite.api.as(FINANCE)
    ).post('/api/v1/feedback', { taskId: financeTask.id, items: [{ measureId: 'M01-10', outcome: 'no-business' }] });
    expect(fed.status).toBe(201);
  });

  it('revokes the held tasks with objection-upheld when the objection is upheld', async () => {
    const objection = await object(upheld);
    const held = await taskOf(RAILWAY, upheld, 'on-hold');
    await decide(objection, true);
    const revoked = await taskOf(RAILWAY, upheld, 'revoked');
    expect(revoked.revocation).toMatchObject({ reason: 'objection-upheld' });
    expect((await feedOf(RAILWAY, held.id)).map((i) => [i.type, i.task.status])).toEqual([
      ['dispatched', 'open'],
      ['held', 'on-hold'],
      ['revoked', 'revoked'],
    ]);
  });

  it('keeps the tasks of a list type that does not hold open while disputed, until a version makes it hold', async () => {
    taxed = await publish(TAX, taxEntry(1));
    const open = await taskOf(PSB, taxed, 'open');
    await object(taxed);
    const disputed = await waitFor('the dispute reaches the task', async () => {
      const t = (await (await suite.api.as(PSB)).get(`/api/v1/tasks/${open.id}`)).body as Task;
      return t.disputed ? t : undefined;
    });
    expect(disputed).toMatchObject({ status: 'open', dueAt: open.dueAt });
    expect((await feedOf(PSB, open.id)).map((i) => i.type)).toEqual(['dispatched', 'updated']);

    // the office turns holding on while the objection is pending: the re-matching holds the task
    await setHolds(['BL-COURT-DEBTOR', 'BL-TAX-MAJOR-CASE'], '规则集：重大税收违法案件异议期间暂停实施');
    const held = await taskOf(PSB, taxed, 'on-hold');
    expect(held.dueAt).toBeNull();
    expect((await feedOf(PSB, open.id)).map((i) => i.type)).toEqual(['dispatched', 'updated', 'held']);
  });

  it('changes nothing when the events are delivered again', async () => {
    const entries = [rejected, upheld, taxed];
    const tasksOf = () =>
      suite.measures.query(
        `SELECT id, version, status, due_at, acknowledged_at FROM tasks WHERE entry_id = ANY($1) ORDER BY id`,
        [entries],
      );
    const copiesOf = () =>
      suite.feedback.query(`SELECT id, version, status, due_at FROM known_tasks WHERE entry_id = ANY($1) ORDER BY id`, [
        entries,
      ]);
    const taskCount = await suite.measures.count(`SELECT * FROM tasks WHERE entry_id = ANY($1)`, [entries]);
    await waitFor('feedback has every task change', async () =>
      (await suite.feedback.count(`SELECT * FROM known_tasks WHERE entry_id = ANY($1)`, [entries])) === taskCount &&
      JSON.stringify((await copiesOf()).map((r) => (r as { version: number }).version)) ===
        JSON.stringify((await tasksOf()).map((r) => (r as { version: number }).version))
        ? true
        : undefined,
    );
    const tasksBefore = await tasksOf();
    const copiesBefore = await copiesOf();
    const entryEvents = await suite.lists.query<{ key: string; envelope: { id: string } }>(
      `SELECT key, envelope FROM outbox WHERE type IN ('jrp.list-entry.disputed', 'jrp.list-entry.objection-decided')
         AND envelope->'data'->>'entryId' = ANY($1)`,
      [entries],
    );
    const taskEvents = await sentTaskEvents(
      suite.measures,
      `type IN ('held', 'released', 'revoked') AND event_key = ANY($1)`,
      [entries],
    );
    expect(entryEvents.length).toBeGreaterThanOrEqual(5);
    expect(taskEvents.length).toBeGreaterThan(0);
    const again = (events: { key: string; envelope: { id: string } }[], topic: string) =>
      events.flatMap((e) =>
        [e.envelope, { ...e.envelope, id: `replay-${e.envelope.id}` }].map((envelope) => ({
          topic,
          key: e.key,
          value: JSON.stringify(envelope),
        })),
      );
    await suite.app.get(EventBus).publish([...again(entryEvents, Topics.ListEntry), ...again(taskEvents, Topics.Task)]);
    const replayed = (events: { envelope: { id: string } }[]) => events.map((e) => `replay-${e.envelope.id}`);
    await waitFor(
      'every replay consumed',
      async () =>
        (await suite.feedback.count(`SELECT * FROM inbox WHERE event_id = ANY($1)`, [replayed(taskEvents)])) ===
          taskEvents.length &&
        (await suite.measures.count(`SELECT * FROM inbox WHERE event_id = ANY($1)`, [replayed(entryEvents)])) ===
          entryEvents.length,
      30000,
    );
    expect(await tasksOf()).toEqual(tasksBefore);
    expect(await copiesOf()).toEqual(copiesBefore);
  });
});
