import ExcelJS from 'exceljs';
import { TaskEvents, Topics } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { EventBus } from '@jrp/messaging';
import { csvCells, isFormulaCell, rawBody, uniquePrefix, waitFor } from '@jrp/testing';
import { COURT, courtEntry, OFFICE, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';
import { taskEvents as sentTaskEvents } from '../support/task-events';

const FINANCE = 'AH-FINANCE'; // implements M01-10, M01-11, M01-12 for 失信被执行人 legal subjects
const HEFEI_OFFICE = 'AH-C340100';
const WUHU_OFFICE = 'AH-C340200';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Task = { id: string; entryId: string; version: number; status: string };
type LiftingRow = {
  entryId: string;
  city: string;
  organization: string;
  reason: string;
  revokedAt: string;
  liftBy: string;
  state: string;
  stateLabel: string;
  liftedAt: string | null;
  note: string | null;
};

/** A date n days before today (Asia/Shanghai). */
const daysAgo = (n: number) =>
  new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/**
 * 解除确认 on a real broker: an entry with tasks for two departments is removed (its removal dated a month
 * back, so the deadline has passed), the tasks revoked with the removal's date; one department confirms
 * it lifted its measures, the other does not; the report shows one confirmed and one overdue, a removal
 * of today both pending; replaying the events changes nothing.
 */
describe('lifting confirmed (解除确认)', () => {
  const topics = uniquePrefix('lift').replace(/_/g, '-').slice(0, -1) + '.';
  const suite = useStandalone('lift', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics });
  const removedOn = daysAgo(30);
  let oldEntry: string;
  let newEntry: string;
  let railwayTask: Task;
  let financeTask: Task;
  let summary: Record<string, number>;

  async function publish(n: number): Promise<string> {
    const res = await (
      await suite.api.as(COURT)
    ).post('/api/v1/lists/entries', courtEntry(n, { listedAt: daysAgo(60) }));
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

  async function remove(entryId: string, at: string): Promise<void> {
    const res = await (
      await suite.api.as(COURT)
    ).post(`/api/v1/lists/entries/${entryId}/transitions`, { action: 'remove', reason: '已履行全部义务', at });
    expect(res.status).toBe(200);
  }

  async function report(code = OFFICE) {
    const res = await (await suite.api.as(code)).get('/api/v1/reports/lifting');
    expect(res.status).toBe(200);
    return res.body as {
      items: LiftingRow[];
      summary: Record<string, number>;
      entries: { entryId: string; confirmed: string[]; pending: string[]; overdue: string[] }[];
    };
  }

  const download = async (path: string) =>
    suite.api
      .http()
      .get(path)
      .set('Authorization', `Bearer ${await suite.api.tokenOf(OFFICE)}`)
      .buffer(true)
      .parse(rawBody);

  beforeAll(async () => {
    oldEntry = await publish(8601);
    newEntry = await publish(8602);
    await taskOf(RAILWAY, oldEntry, 'open');
    await taskOf(FINANCE, oldEntry, 'open');
    await taskOf(RAILWAY, newEntry, 'open');
    await taskOf(FINANCE, newEntry, 'open');
    await remove(oldEntry, removedOn);
    await remove(newEntry, todayInShanghai());
    railwayTask = await taskOf(RAILWAY, oldEntry, 'revoked');
    financeTask = await taskOf(FINANCE, oldEntry, 'revoked');
  });

  it('revokes the tasks with the removal: its reason, its date and the deadline in working days', async () => {
    const task = (await (await suite.api.as(RAILWAY)).get(`/api/v1/tasks/${railwayTask.id}`)).body;
    expect(task.revocation).toMatchObject({
      reason: 'removal',
      revokedAt: new Date(`${removedOn}T00:00:00+08:00`).toISOString(),
    });
    // five working days after the removal: at least a week later, the end of a day in Shanghai
    const liftBy = Date.parse(task.revocation.liftBy);
    expect(liftBy - Date.parse(task.revocation.revokedAt)).toBeGreaterThanOrEqual(7 * 86_400_000 - 1);
    expect(new Date(liftBy + 8 * 3600_000).toISOString().slice(11)).toBe('23:59:59.999Z');
    expect(task.lifting).toBeNull();
    const finance = (await (await suite.api.as(FINANCE)).get(`/api/v1/tasks/${financeTask.id}`)).body;
    expect(finance.revocation).toEqual(task.revocation);
  });

  it('lets the department confirm once, within bounds, its own revoked tasks only', async () => {
    const railway = await suite.api.as(RAILWAY);
    const path = `/api/v1/tasks/${railwayTask.id}/lifted`;
    // before the revocation, in the future, not a date: 400 on the field, nothing stored
    for (const liftedAt of [daysAgo(31), `${daysAgo(31)}T23:59:59+08:00`, '2099-01-01', 'soon']) {
      const bad = await railway.post(path, { liftedAt });
      expect([liftedAt, bad.status]).toEqual([liftedAt, 400]);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['liftedAt']);
    }
    expect((await railway.get(`/api/v1/tasks/${railwayTask.id}`)).body.version).toBe(railwayTask.version);

    // another department's task answers 404, whether it exists or not (the office too: it implements measures of its own)
    expect((await (await suite.api.as(FINANCE)).post(path, { liftedAt: daysAgo(29) })).status).toBe(404);
    expect((await (await suite.api.as(OFFICE)).post(path, { liftedAt: daysAgo(29) })).status).toBe(404);

    const confirmed = await railway.post(path, { liftedAt: daysAgo(29), note: '已解除高铁限制' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      id: railwayTask.id,
      version: railwayTask.version + 1,
      status: 'revoked',
      lifting: { liftedAt: new Date(`${daysAgo(29)}T00:00:00+08:00`).toISOString(), note: '已解除高铁限制' },
    });
    // a repeat answers the first confirmation and changes nothing
    const again = await railway.post(path, { liftedAt: daysAgo(1), note: '再次确认' });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(railwayTask.version + 1);
    expect(again.body.lifting).toEqual(confirmed.body.lifting);

    // an active task is not revoked: 409 with the reason
    const other = await publish(8603);
    const active = await taskOf(RAILWAY, other, 'open');
    const conflict = await railway.post(`/api/v1/tasks/${active.id}/lifted`, { liftedAt: todayInShanghai() });
    expect(conflict.status).toBe(409);
    expect(conflict.body.detail).toContain('未撤销');
  });

  it('is a task change: a feed item, sent as the jrp.task.lifted event, audited', async () => {
    const feed = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000');
    const changes = feed.body.items
      .filter((i: { task: { id: string } }) => i.task.id === railwayTask.id)
      .map((i: { type: string; typeLabel: string; task: { version: number } }) => [
        i.type,
        i.typeLabel,
        i.task.version,
      ]);
    expect(changes).toEqual([
      ['dispatched', '下发', 1],
      ['revoked', '撤销', 2],
      ['lifted', '解除确认', 3],
    ]);
    const events = await sentTaskEvents<{ lifting: unknown; revocation: unknown }>(suite.measures, 'task_id = $1', [
      railwayTask.id,
    ]);
    expect(events.map((e) => e.type)).toEqual([TaskEvents.Dispatched, TaskEvents.Revoked, TaskEvents.Lifted]);
    expect(events[2].data.lifting).toMatchObject({ note: '已解除高铁限制' });
    expect(events[2].data.revocation).toMatchObject({ reason: 'removal' });
    expect(
      await suite.measures.count(`SELECT * FROM audit_trail WHERE action = 'task.lift' AND object_id = $1`, [
        railwayTask.id,
      ]),
    ).toBeGreaterThanOrEqual(2);
  });

  it('reports per removed entry and department: confirmed, overdue, pending, with totals', async () => {
    // feedback learns of each task's revocation in that task's own order: wait for every one of both removals
    const revoked = await suite.measures.count(
      `SELECT * FROM tasks WHERE entry_id IN ($1, $2) AND status = 'revoked'`,
      [oldEntry, newEntry],
    );
    const body = await waitFor('every revoked task and the confirmation in the report', async () => {
      const r = await report();
      const rows = r.items.filter((i) => i.entryId === oldEntry || i.entryId === newEntry);
      return rows.length === revoked && rows.some((i) => i.entryId === oldEntry && i.state === 'confirmed')
        ? r
        : undefined;
    });
    const rows = body.items.filter((i) => [RAILWAY, FINANCE].includes(i.organization));
    expect(rows.map((r) => [r.entryId, r.organization, r.state, r.stateLabel]).sort()).toEqual(
      [
        [oldEntry, RAILWAY, 'confirmed', '已确认'],
        [oldEntry, FINANCE, 'overdue', '逾期未确认'],
        [newEntry, RAILWAY, 'pending', '待确认'],
        [newEntry, FINANCE, 'pending', '待确认'],
      ].sort(),
    );
    const confirmed = rows.find((r) => r.organization === RAILWAY && r.entryId === oldEntry)!;
    expect(confirmed).toMatchObject({ reason: 'removal', note: '已解除高铁限制', city: '340100' });
    expect(confirmed.liftedAt).toBe(new Date(`${daysAgo(29)}T00:00:00+08:00`).toISOString());
    // every department of the old removal but the railway is overdue; every one of today's is pending
    const perEntry = body.items.filter((i) => i.entryId === newEntry).length;
    expect(perEntry).toBeGreaterThanOrEqual(2);
    expect(body.items.filter((i) => i.entryId === oldEntry)).toHaveLength(perEntry);
    expect(body.summary).toEqual({
      entries: 2,
      tasks: 2 * perEntry,
      confirmed: 1,
      pending: perEntry,
      overdue: perEntry - 1,
    });
    const old = body.entries.find((e) => e.entryId === oldEntry)!;
    expect([old.confirmed, old.pending, old.overdue.length]).toEqual([[RAILWAY], [], perEntry - 1]);
    expect(old.overdue).toContain(FINANCE);
    summary = body.summary;
    // the period is the day of the revocation
    const recent = await (await suite.api.as(OFFICE)).get(`/api/v1/reports/lifting?from=${daysAgo(2)}`);
    expect([...new Set(recent.body.items.map((r: LiftingRow) => r.entryId))]).toEqual([newEntry]);

    // a city office: its own city only
    expect((await report(HEFEI_OFFICE)).summary).toEqual(body.summary);
    expect((await report(WUHU_OFFICE)).items).toEqual([]);
    expect((await (await suite.api.as(RAILWAY)).get('/api/v1/reports/lifting')).status).toBe(403);
  });

  it('writes the report as CSV and XLSX with Chinese headers and formula-safe cells', async () => {
    const csv = await download('/api/v1/reports/lifting?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = (csv.body as Buffer).toString('utf8');
    expect(text).toContain(
      '名单条目编号,名单类型,地区,撤销原因,撤销时间,实施部门,确认期限,确认状态,解除时间,确认时间,说明\r\n',
    );
    expect(text).toContain(
      `合计,2 条名单条目,,,,${summary.tasks} 个部门任务,,已确认 1，待确认 ${summary.pending}，逾期未确认 ${summary.overdue}`,
    );
    expect(text).toContain('已解除高铁限制');
    expect(csvCells(csv.body as Buffer).filter(isFormulaCell)).toEqual([]);

    const xlsx = await download('/api/v1/reports/lifting?format=xlsx');
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('撤销任务解除措施确认情况');
    expect((sheet.getRow(4).values as unknown[]).slice(1, 9)).toEqual([
      '名单条目编号',
      '名单类型',
      '地区',
      '撤销原因',
      '撤销时间',
      '实施部门',
      '确认期限',
      '确认状态',
    ]);
    const rows = Array.from({ length: summary.tasks }, (_, i) => sheet.getRow(5 + i));
    const states = rows.map((r) => [r.getCell(1).value, r.getCell(6).value, r.getCell(8).value]);
    expect(states).toContainEqual([oldEntry, '中国铁路上海局集团有限公司', '已确认']);
    expect(states).toContainEqual([oldEntry, '安徽省财政厅', '逾期未确认']);
    expect(rows[0].getCell(5).value).toBeInstanceOf(Date);
    expect(sheet.getRow(5 + summary.tasks).getCell(1).value).toBe('合计');
  });

  it('changes nothing when the events are delivered again', async () => {
    const before = await report();
    const tasksBefore = await suite.measures.query(
      `SELECT id, version, status, revocation, lifting FROM tasks WHERE entry_id = ANY($1) ORDER BY id`,
      [[oldEntry, newEntry]],
    );
    // the removals to measures, the task events (revocations and the confirmation) to feedback: again,
    // and under other event ids (a replay from elsewhere)
    const entryEvents = await suite.lists.query<{ key: string; envelope: { id: string } }>(
      `SELECT key, envelope FROM outbox WHERE type = 'jrp.list-entry.removed' AND envelope->'data'->>'entryId' = ANY($1)`,
      [[oldEntry, newEntry]],
    );
    const taskEvents = await sentTaskEvents(suite.measures, `type IN ('revoked', 'lifted') AND event_key = ANY($1)`, [
      [oldEntry, newEntry],
    ]);
    expect(entryEvents).toHaveLength(2);
    expect(taskEvents).toHaveLength(summary.tasks + 1); // each task's revocation, the railway's confirmation
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
    expect(
      await suite.measures.query(
        `SELECT id, version, status, revocation, lifting FROM tasks WHERE entry_id = ANY($1) ORDER BY id`,
        [[oldEntry, newEntry]],
      ),
    ).toEqual(tasksBefore);
    const after = await report();
    expect(after.items).toEqual(before.items);
    expect(after.summary).toEqual(before.summary);
  });
});
