import { uniquePrefix, waitFor } from '@jrp/testing';
import { COURT, courtEntry, MARKET, OFFICE, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

const NFRA = 'AH-NFRA'; // implements three measures for 失信被执行人
const HEFEI_OFFICE = 'AH-C340100';
const WUHU_OFFICE = 'AH-C340200';

type Item = {
  cursor: string;
  type: string;
  task: { id: string; entryId: string; version: number; status: string; measures: { id: string }[] };
};

/**
 * What happens to a task after dispatch, on a real broker: receipt (签收), return (退回) and the office's
 * reassignment (改派), feedback mirrored per measure, the state filters, and who may see and do what.
 */
describe('task state: receipt, return, reassignment, feedback', () => {
  const topics = uniquePrefix('state').replace(/_/g, '-').slice(0, -1) + '.';
  const suite = useStandalone('state', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics });
  let serial = 8100;

  async function feedOf(code: string): Promise<Item[]> {
    const client = await suite.api.as(code);
    const items: Item[] = [];
    for (let after = ''; ;) {
      const res = await client.get(`/api/v1/tasks/feed?limit=1000${after ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      if (res.body.items.length === 0) return items;
      items.push(...res.body.items);
      after = res.body.next;
    }
  }

  async function taskFor(code: string, entryId: string): Promise<Item['task']> {
    const item = await waitFor(
      `${code}'s task`,
      async () => (await feedOf(code)).find((i) => i.task.entryId === entryId && i.type === 'dispatched'),
      30000,
    );
    return item.task;
  }

  /** Feedback, once the feedback service has its copy of the task (it learns tasks from their events). */
  async function feedback(code: string, body: object): Promise<number> {
    const client = await suite.api.as(code);
    return waitFor(
      'feedback accepted',
      async () => {
        const res = await client.post('/api/v1/feedback', body);
        return res.status === 404 ? undefined : res.status;
      },
      30000,
    );
  }

  async function publishEntry(): Promise<string> {
    const res = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', courtEntry(serial++));
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it('records receipt once, keeps it across an update, and shows it in the feed', async () => {
    const entryId = await publishEntry();
    const task = await taskFor(RAILWAY, entryId);
    const railway = await suite.api.as(RAILWAY);
    expect((await railway.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({
      status: 'open',
      statusLabel: '待实施',
      acknowledgedAt: null,
    });

    const acked = await railway.post(`/api/v1/tasks/${task.id}/ack`);
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id: task.id, version: 2, status: 'acknowledged', statusLabel: '已签收' });
    expect(acked.body.acknowledgedAt).toEqual(expect.any(String));
    const again = await railway.post(`/api/v1/tasks/${task.id}/ack`);
    expect(again.body).toMatchObject({ version: 2, acknowledgedAt: acked.body.acknowledgedAt });
    expect((await feedOf(RAILWAY)).filter((i) => i.task.id === task.id).map((i) => [i.type, i.task.version])).toEqual([
      ['dispatched', 1],
      ['acknowledged', 2],
    ]);

    // another department can neither see nor acknowledge it
    const market = await suite.api.as(MARKET);
    expect((await market.get(`/api/v1/tasks/${task.id}`)).status).toBe(404);
    expect((await market.post(`/api/v1/tasks/${task.id}/ack`)).status).toBe(404);
    expect((await market.post(`/api/v1/tasks/${task.id}/return`, { reason: '不是我们的' })).status).toBe(404);

    // a correction of the entry updates the task and keeps its receipt
    const token = await suite.api.tokenOf(COURT);
    const patched = await suite.api
      .http()
      .patch(`/api/v1/lists/entries/${entryId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ correctionReason: '名称录入错误', subjectName: `安徽更正建设有限公司${serial}` });
    expect(patched.status).toBe(200);
    const updated = await waitFor(
      'the update',
      async () => (await feedOf(RAILWAY)).find((i) => i.task.id === task.id && i.type === 'updated'),
      30000,
    );
    expect(updated.task).toMatchObject({ version: 3, status: 'acknowledged' });
  });

  it('mirrors feedback per measure: partial feedback shows, all measures make it fed back', async () => {
    const entryId = await publishEntry();
    const task = await taskFor(NFRA, entryId);
    expect(task.measures.length).toBeGreaterThanOrEqual(2);
    const nfra = await suite.api.as(NFRA);
    const [first, ...rest] = task.measures.map((m) => m.id);
    const item = (measureId: string) => ({
      measureId,
      outcome: 'implemented',
      implementedAt: '2026-11-05',
      explanation: '已在授信审批中限制',
    });
    expect(await feedback(NFRA, { taskId: task.id, items: [item(first)] })).toBe(201);
    const partial = await waitFor(
      'partial feedback mirrored',
      async () => {
        const body = (await nfra.get(`/api/v1/tasks/${task.id}`)).body;
        return body.measures.find((m: { id: string; feedback: unknown }) => m.id === first).feedback ? body : undefined;
      },
      30000,
    );
    expect(partial.status).toBe('open');
    expect(partial.measures.find((m: { id: string }) => m.id === first).feedback).toMatchObject({
      outcome: 'implemented',
    });
    expect(
      partial.measures
        .filter((m: { id: string; feedback: unknown }) => m.id !== first)
        .map((m: { feedback: unknown }) => m.feedback),
    ).toEqual(rest.map(() => null));
    expect(
      (await nfra.get('/api/v1/tasks?status=fed-back&limit=500')).body.items.map((t: { id: string }) => t.id),
    ).not.toContain(task.id);

    expect(await feedback(NFRA, { taskId: task.id, items: rest.map(item) })).toBe(201);
    const fedBack = await waitFor(
      'fed back',
      async () => {
        const body = (await nfra.get(`/api/v1/tasks/${task.id}`)).body;
        return body.status === 'fed-back' ? body : undefined;
      },
      30000,
    );
    expect(fedBack).toMatchObject({ statusLabel: '已反馈', fedBackAt: expect.any(String) });
    expect(
      (await nfra.get('/api/v1/tasks?status=fed-back&limit=500')).body.items.map((t: { id: string }) => t.id),
    ).toContain(task.id);
    expect(
      (await nfra.get('/api/v1/tasks?status=open&limit=500')).body.items.map((t: { id: string }) => t.id),
    ).not.toContain(task.id);
  });

  it('lists overdue tasks until they are fed back', async () => {
    const entryId = await publishEntry();
    const task = await taskFor(RAILWAY, entryId);
    const railway = await suite.api.as(RAILWAY);
    const overdue = async () =>
      (await railway.get('/api/v1/tasks?overdue=true&limit=500')).body.items.map((t: { id: string }) => t.id);
    expect(await overdue()).not.toContain(task.id);
    await suite.measures.query(`UPDATE tasks SET due_at = now() - interval '1 day' WHERE id = $1`, [task.id]);
    expect(await overdue()).toContain(task.id);
    expect((await railway.get(`/api/v1/tasks/${task.id}`)).body.overdue).toBe(true);
    expect(
      await feedback(RAILWAY, {
        taskId: task.id,
        items: [{ measureId: 'M01-01', outcome: 'implemented', implementedAt: '2026-11-05', explanation: '已限制' }],
      }),
    ).toBe(201);
    await waitFor('no longer overdue', async () => !(await overdue()).includes(task.id) || undefined, 30000);
  });

  it('returns a misrouted task to the office, which reassigns it to another organisation', async () => {
    const entryId = await publishEntry();
    const task = await taskFor(RAILWAY, entryId);
    const railway = await suite.api.as(RAILWAY);
    const office = await suite.api.as(OFFICE);

    expect((await railway.post(`/api/v1/tasks/${task.id}/return`, {})).status).toBe(400);
    const returned = await railway.post(`/api/v1/tasks/${task.id}/return`, { reason: '本单位不办理该类业务' });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({
      status: 'returned',
      statusLabel: '已退回',
      returnReason: '本单位不办理该类业务',
      version: 2,
    });
    expect((await railway.post(`/api/v1/tasks/${task.id}/return`, { reason: '再次退回' })).body).toMatchObject({
      version: 2,
      returnReason: '本单位不办理该类业务',
    });
    expect((await railway.post(`/api/v1/tasks/${task.id}/ack`)).status).toBe(409);

    // the office sees it among the returned tasks
    const waiting = (await office.get('/api/v1/tasks?status=returned&limit=500')).body.items;
    expect(waiting.find((t: { id: string }) => t.id === task.id)).toMatchObject({
      organization: RAILWAY,
      returnReason: '本单位不办理该类业务',
    });

    // bad reassignments change nothing
    expect((await office.post(`/api/v1/tasks/${task.id}/reassignment`, { organization: 'AH-NOBODY' })).status).toBe(
      400,
    );
    expect((await railway.post(`/api/v1/tasks/${task.id}/reassignment`, { organization: MARKET })).status).toBe(403);

    const reassigned = await office.post(`/api/v1/tasks/${task.id}/reassignment`, {
      organization: MARKET,
      reason: '铁路客票限制由市场监管部门协调',
    });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.returnedTask).toMatchObject({ id: task.id, status: 'revoked', organization: RAILWAY });
    expect(reassigned.body.task).toMatchObject({ organization: MARKET, status: 'open', entryId });
    expect(reassigned.body.task.measures.map((m: { id: string }) => m.id)).toEqual(task.measures.map((m) => m.id));

    // the new organisation finds it in its feed; the returning one sees the revocation
    const moved = await taskFor(MARKET, entryId);
    expect(moved.id).toBe(reassigned.body.task.id);
    expect((await feedOf(RAILWAY)).filter((i) => i.task.id === task.id).map((i) => i.type)).toEqual([
      'dispatched',
      'returned',
      'revoked',
    ]);
    expect((await office.post(`/api/v1/tasks/${task.id}/reassignment`, { organization: MARKET })).status).toBe(409);

    // the reassignment outlives later changes of the entry: a correction updates the market's task only
    const token = await suite.api.tokenOf(COURT);
    await suite.api
      .http()
      .patch(`/api/v1/lists/entries/${entryId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ correctionReason: '名称录入错误', subjectName: `安徽再更正建设有限公司${serial}` })
      .expect(200);
    await waitFor(
      'the market task updated',
      async () => (await feedOf(MARKET)).find((i) => i.task.id === moved.id && i.type === 'updated'),
      30000,
    );
    expect((await railway.get(`/api/v1/tasks/${task.id}`)).body).toMatchObject({ status: 'revoked', version: 3 });
  });

  it('gives a returned task back to the organisation that returned it when the office says so', async () => {
    const entryId = await publishEntry();
    const task = await taskFor(RAILWAY, entryId);
    const railway = await suite.api.as(RAILWAY);
    await railway.post(`/api/v1/tasks/${task.id}/return`, { reason: '不确定是否属于本单位' }).expect(200);
    const back = await (
      await suite.api.as(OFFICE)
    ).post(`/api/v1/tasks/${task.id}/reassignment`, { organization: RAILWAY, reason: '属于铁路部门职责' });
    expect(back.status).toBe(200);
    expect(back.body.task).toMatchObject({ id: task.id, status: 'open', version: 3 });
    expect((await feedOf(RAILWAY)).filter((i) => i.task.id === task.id).map((i) => i.type)).toEqual([
      'dispatched',
      'returned',
      'dispatched',
    ]);
  });

  it('lets a city office see its own city’s tasks only', async () => {
    const entryId = await publishEntry(); // region 340100: 合肥
    const task = await taskFor(RAILWAY, entryId);
    const hefei = await suite.api.as(HEFEI_OFFICE);
    const wuhu = await suite.api.as(WUHU_OFFICE);
    expect((await hefei.get(`/api/v1/tasks/${task.id}`)).status).toBe(200);
    expect((await wuhu.get(`/api/v1/tasks/${task.id}`)).status).toBe(404);
    expect((await wuhu.get(`/api/v1/tasks?organization=${RAILWAY}&limit=500`)).body.items).toEqual([]);
    expect(
      (await hefei.get(`/api/v1/tasks?organization=${RAILWAY}&limit=500`)).body.items.map((t: { id: string }) => t.id),
    ).toContain(task.id);
    // an implementer cannot look at another organisation's list
    expect((await (await suite.api.as(RAILWAY)).get(`/api/v1/tasks?organization=${MARKET}`)).status).toBe(403);
  });

  it('refuses bad filters field by field', async () => {
    const res = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks?status=done&overdue=maybe&limit=0');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'overdue', 'status']);
  });
});
