import { Client } from 'pg';
import { Topics } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { EventBus } from '@jrp/messaging';
import { uniquePrefix, waitFor } from '@jrp/testing';
import { COURT, MARKET, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';
import { FINANCE, OFFICE, HEFEI_OFFICE, WUHU_OFFICE, publish, rollupAndRecount, taskOf } from './support';
import { taskEvents } from '../support/task-events';

type View = {
  id: string;
  version: number;
  status: string;
  items: { measureId: string; outcome: string; amount: string | null }[];
  versions: { version: number; kind: string; reason: string | null }[];
};

/**
 * Feedback per measure item on a real broker: validation, partial and complete feedback, corrections,
 * cancellation, revoked tasks, idempotency, the mirror in measures, and the rollups against a recount.
 */
describe('feedback per measure item', () => {
  const topics = uniquePrefix('fb').replace(/_/g, '-');
  const suite = useStandalone('fb', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics.slice(0, -1) });
  const today = todayInShanghai();
  let entry: string;
  let task: { id: string; measureIds: string[] };
  let first: View;
  let second: View;

  const post = async (org: string, path: string, body: object) => (await suite.api.as(org)).post(path, body);

  beforeAll(async () => {
    entry = await publish(suite, 7101);
    task = await taskOf(suite, entry, FINANCE);
  });

  it('gives the finance department a task of three measures', () => {
    expect(task.measureIds.sort()).toEqual(['M01-10', 'M01-11', 'M01-12']);
  });

  it('refuses bad feedback field by field and stores nothing', async () => {
    const cases: [object[], { field: string; message?: string }][] = [
      [
        [{ measureId: 'M01-01', outcome: 'not-applicable' }],
        { field: 'items.0.measureId', message: 'M01-01 is not a measure of this task' },
      ],
      [
        [
          { measureId: 'M01-10', outcome: 'no-business' },
          { measureId: 'M01-10', outcome: 'no-business' },
        ],
        { field: 'items.1.measureId', message: 'appears twice' },
      ],
      [
        [{ measureId: 'M01-10', outcome: 'implemented' }],
        { field: 'items.0.implementedAt', message: 'is required when the outcome is implemented' },
      ],
      [
        [{ measureId: 'M01-10', outcome: 'not-applicable', implementedAt: today }],
        { field: 'items.0.implementedAt', message: 'is given only when the outcome is implemented' },
      ],
      [
        [{ measureId: 'M01-10', outcome: 'implemented', implementedAt: '2026-02-30' }],
        { field: 'items.0.implementedAt', message: 'is not a calendar date' },
      ],
      [
        [{ measureId: 'M01-10', outcome: 'implemented', implementedAt: '2099-01-01' }],
        { field: 'items.0.implementedAt', message: 'is in the future' },
      ],
      [[{ measureId: 'M01-10', outcome: 'done' }], { field: 'items.0.outcome' }],
      [[{ measureId: 'M01-10', outcome: 'no-business', amount: '-1' }], { field: 'items.0.amount' }],
      [[{ measureId: 'M01-10', outcome: 'no-business', amount: '1.234' }], { field: 'items.0.amount' }],
      [[{ measureId: 'M01-10', outcome: 'no-business', amount: 12 }], { field: 'items.0.amount' }],
      [[{ measureId: 'M01-10', outcome: 'no-business', businessType: '' }], { field: 'items.0.businessType' }],
      [[{ measureId: 'M01-10', outcome: 'no-business', note: 'x' }], { field: 'items.0.note' }],
      [[], { field: 'items' }],
    ];
    const before = await suite.feedback.count('SELECT * FROM feedback');
    for (const [items, error] of cases) {
      const res = await post(FINANCE, '/api/v1/feedback', { taskId: task.id, items });
      expect([res.status, items]).toEqual([400, items]);
      expect(res.body.errors).toContainEqual(error.message ? error : expect.objectContaining(error));
    }
    const bad = await post(FINANCE, '/api/v1/feedback', {
      taskId: 'not-a-uuid',
      items: [{ measureId: 'M01-10', outcome: 'no-business' }],
    });
    expect(bad.body.errors).toContainEqual(expect.objectContaining({ field: 'taskId' }));
    expect(await suite.feedback.count('SELECT * FROM feedback')).toBe(before);
  });

  it("answers 404 for another organisation's task and for a task it does not know", async () => {
    const items = [{ measureId: 'M01-10', outcome: 'no-business' }];
    expect((await post(MARKET, '/api/v1/feedback', { taskId: task.id, items })).status).toBe(404);
    expect((await post(RAILWAY, '/api/v1/feedback', { taskId: task.id, items })).status).toBe(404);
    expect(
      (await post(FINANCE, '/api/v1/feedback', { taskId: '00000000-0000-4000-8000-000000000000', items })).status,
    ).toBe(404);
  });

  it('records partial feedback; the task is fed back once every item has a final outcome', async () => {
    const res = await post(FINANCE, '/api/v1/feedback', {
      taskId: task.id,
      items: [
        {
          measureId: 'M01-10',
          outcome: 'implemented',
          implementedAt: today,
          businessType: '政府采购',
          amount: '120000.5',
          explanation: '已限制参加政府采购',
        },
        { measureId: 'M01-11', outcome: 'in-progress' },
      ],
    });
    expect(res.status).toBe(201);
    first = res.body;
    expect(first).toMatchObject({
      version: 1,
      status: 'recorded',
      statusLabel: '已反馈',
      taskId: task.id,
      organization: FINANCE,
    });
    expect(first.items).toEqual([
      {
        measureId: 'M01-10',
        outcome: 'implemented',
        outcomeLabel: '已实施',
        implementedAt: today,
        businessType: '政府采购',
        amount: '120000.50',
        explanation: '已限制参加政府采购',
      },
      {
        measureId: 'M01-11',
        outcome: 'in-progress',
        outcomeLabel: '实施中',
        implementedAt: null,
        businessType: null,
        amount: null,
        explanation: null,
      },
    ]);
    const [partial] = await suite.feedback.query<{ fed_back_at: Date | null }>(
      'SELECT fed_back_at FROM known_tasks WHERE id = $1',
      [task.id],
    );
    expect(partial.fed_back_at).toBeNull();

    const rest = await post(FINANCE, '/api/v1/feedback', {
      taskId: task.id,
      items: [
        { measureId: 'M01-11', outcome: 'no-business' },
        { measureId: 'M01-12', outcome: 'not-applicable', explanation: '该主体未申请补贴' },
      ],
    });
    expect(rest.status).toBe(201);
    second = rest.body;
    const [done] = await suite.feedback.query<{ fed_back_at: Date }>(
      'SELECT fed_back_at FROM known_tasks WHERE id = $1',
      [task.id],
    );
    expect(new Date(done.fed_back_at).toISOString()).toBe(
      new Date(
        (
          await suite.feedback.query<{ recorded_at: Date }>('SELECT recorded_at FROM feedback WHERE id = $1', [
            second.id,
          ])
        )[0].recorded_at,
      ).toISOString(),
    );

    // measures mirrors it into the task: fed back (已反馈)
    const finance = await suite.api.as(FINANCE);
    const mirrored = await waitFor('the task fed back in measures', async () => {
      const t = (await finance.get(`/api/v1/tasks/${task.id}`)).body;
      return t.status === 'fed-back' ? t : undefined;
    });
    expect(mirrored.measures.map((m: { feedback: { outcome: string } }) => m.feedback.outcome).sort()).toEqual([
      'implemented',
      'no-business',
      'not-applicable',
    ]);
  });

  it('lets its organisation and the office read a feedback with its history; others get 404', async () => {
    expect((await (await suite.api.as(FINANCE)).get(`/api/v1/feedback/${first.id}`)).body).toMatchObject({
      id: first.id,
      versions: [{ version: 1, kind: 'recorded' }],
    });
    expect((await (await suite.api.as(OFFICE)).get(`/api/v1/feedback/${first.id}`)).status).toBe(200);
    expect((await (await suite.api.as(HEFEI_OFFICE)).get(`/api/v1/feedback/${first.id}`)).status).toBe(200); // the entry is in Hefei
    expect((await (await suite.api.as(WUHU_OFFICE)).get(`/api/v1/feedback/${first.id}`)).status).toBe(404);
    expect((await (await suite.api.as(RAILWAY)).get(`/api/v1/feedback/${first.id}`)).status).toBe(404);
  });

  it('answers a new feedback with what a read gives back (amounts with two decimals, items in measure order)', async () => {
    const finance = await suite.api.as(FINANCE);
    expect((await finance.get(`/api/v1/feedback/${first.id}`)).body).toEqual(first);
    expect((await finance.get(`/api/v1/feedback/${second.id}`)).body).toEqual(second);
  });

  it('leaves a later standing feedback current for the measures it names', async () => {
    const other = await taskOf(suite, await publish(suite, 7103), FINANCE);
    const earlier = await post(FINANCE, '/api/v1/feedback', {
      taskId: other.id,
      items: [
        { measureId: 'M01-12', outcome: 'not-applicable', amount: '7' },
        { measureId: 'M01-11', outcome: 'in-progress' },
      ],
    });
    expect(earlier.status).toBe(201);
    expect(
      earlier.body.items.map((i: { measureId: string; amount: string | null }) => [i.measureId, i.amount]),
    ).toEqual([
      ['M01-11', null],
      ['M01-12', '7.00'],
    ]);
    expect((await (await suite.api.as(FINANCE)).get(`/api/v1/feedback/${earlier.body.id}`)).body).toEqual(earlier.body);
    // as if recorded by a replica whose clock is ahead: later than the next feedback, it stays the current one
    await suite.feedback.query(`UPDATE feedback SET updated_at = now() + interval '1 hour' WHERE id = $1`, [
      earlier.body.id,
    ]);
    const later = await post(FINANCE, '/api/v1/feedback', {
      taskId: other.id,
      items: [
        { measureId: 'M01-11', outcome: 'no-business' },
        { measureId: 'M01-10', outcome: 'implemented', implementedAt: today },
      ],
    });
    expect(later.status).toBe(201);
    const items = await suite.feedback.query<{ measure_id: string; outcome: string | null; feedback_id: string }>(
      'SELECT measure_id, outcome, feedback_id FROM task_items WHERE task_id = $1 ORDER BY 1',
      [other.id],
    );
    expect(items).toEqual([
      { measure_id: 'M01-10', outcome: 'implemented', feedback_id: later.body.id },
      { measure_id: 'M01-11', outcome: 'in-progress', feedback_id: earlier.body.id },
      { measure_id: 'M01-12', outcome: 'not-applicable', feedback_id: earlier.body.id },
    ]);
    expect((await suite.feedback.query('SELECT fed_back_at FROM known_tasks WHERE id = $1', [other.id]))[0]).toEqual({
      fed_back_at: null,
    });
  });

  it('counts two feedbacks that waited for the same task each on what the other wrote', async () => {
    const other = await taskOf(suite, await publish(suite, 7104), FINANCE);
    // the task's row held by another transaction, so that both writes wait for it with a snapshot taken
    // before either commits: the second one to get the lock must read the first one's items again
    const holder = new Client({
      connectionString: suite.env.DATABASE_URL,
      options: `-c search_path=${suite.feedback.schema}`,
    });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM known_tasks WHERE id = $1 FOR UPDATE', [other.id]);
      const writes = [
        [
          { measureId: 'M01-10', outcome: 'implemented', implementedAt: today },
          { measureId: 'M01-11', outcome: 'not-applicable' },
        ],
        [
          { measureId: 'M01-10', outcome: 'no-business' },
          { measureId: 'M01-12', outcome: 'not-applicable' },
        ],
      ].map((items) => post(FINANCE, '/api/v1/feedback', { taskId: other.id, items }));
      await waitFor('both writes waiting for the task', async () => {
        // blocked by this session, or by a session it blocks (the second waits for the first one's tuple lock);
        // pg_stat_activity is read once per transaction unless its snapshot is cleared, and a write on a
        // connection the pool opened since would be missing from it
        await holder.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity a WHERE pg_backend_pid() = ANY(pg_blocking_pids(a.pid))
             OR EXISTS (SELECT 1 FROM unnest(pg_blocking_pids(a.pid)) b WHERE pg_backend_pid() = ANY(pg_blocking_pids(b)))`,
        );
        return rows[0].n >= 2 || undefined;
      });
      await holder.query('COMMIT');
      expect((await Promise.all(writes)).map((r) => r.status)).toEqual([201, 201]);
    } finally {
      await holder.end();
    }
    // every item final: M01-10 from the later of the two, the others from the one that names them
    const items = await suite.feedback.query<{ outcome: string }>(
      'SELECT outcome FROM task_items WHERE task_id = $1 ORDER BY measure_id',
      [other.id],
    );
    expect(items.map((i) => i.outcome).slice(1)).toEqual(['not-applicable', 'not-applicable']);
    const [{ fed_back_at: fedBackAt }] = await suite.feedback.query<{ fed_back_at: Date | null }>(
      'SELECT fed_back_at FROM known_tasks WHERE id = $1',
      [other.id],
    );
    expect(fedBackAt).not.toBeNull();
    const { rollup, recount } = await rollupAndRecount(suite);
    expect(rollup).toEqual(recount);
  });

  it('corrects: a new version with its reason, the history kept, the final-outcome time unchanged', async () => {
    const [{ fed_back_at: before }] = await suite.feedback.query<{ fed_back_at: Date }>(
      'SELECT fed_back_at FROM known_tasks WHERE id = $1',
      [task.id],
    );
    expect(
      (
        await post(RAILWAY, `/api/v1/feedback/${first.id}/corrections`, {
          reason: 'x',
          items: [{ measureId: 'M01-10', outcome: 'no-business' }],
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await post(FINANCE, `/api/v1/feedback/${first.id}/corrections`, {
          items: [{ measureId: 'M01-10', outcome: 'no-business' }],
        })
      ).body.errors,
    ).toContainEqual(expect.objectContaining({ field: 'reason' }));
    const res = await post(FINANCE, `/api/v1/feedback/${first.id}/corrections`, {
      reason: '金额填报有误',
      items: [
        {
          measureId: 'M01-10',
          outcome: 'implemented',
          implementedAt: today,
          businessType: '政府采购',
          amount: '98000',
        },
        { measureId: 'M01-11', outcome: 'in-progress' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      version: 2,
      status: 'corrected',
      items: [{ measureId: 'M01-10', amount: '98000.00' }, { measureId: 'M01-11' }],
    });
    expect(res.body.versions.map((v: View['versions'][number]) => [v.version, v.kind, v.reason])).toEqual([
      [1, 'recorded', null],
      [2, 'corrected', '金额填报有误'],
    ]);
    expect(res.body.versions[0].items[0].amount).toBe('120000.50');
    // the correction is now the latest word on M01-11 (in-progress): the task is no longer fed back…
    const [after] = await suite.feedback.query<{ fed_back_at: Date | null }>(
      'SELECT fed_back_at FROM known_tasks WHERE id = $1',
      [task.id],
    );
    expect(after.fed_back_at).toBeNull();
    // …until it says otherwise; M01-10 stayed final throughout, so its time is the first one
    const again = await post(FINANCE, `/api/v1/feedback/${first.id}/corrections`, {
      reason: '补充',
      items: [
        { measureId: 'M01-10', outcome: 'implemented', implementedAt: today, amount: '98000' },
        { measureId: 'M01-11', outcome: 'no-business' },
      ],
    });
    expect(again.status).toBe(201);
    const [finalAt] = await suite.feedback.query<{ final_at: Date }>(
      `SELECT final_at FROM task_items WHERE task_id = $1 AND measure_id = 'M01-10'`,
      [task.id],
    );
    expect(new Date(finalAt.final_at).getTime()).toBeLessThanOrEqual(new Date(before).getTime());
    const events = await suite.feedback.query<{ type: string; version: number }>(
      `SELECT type, (envelope->'data'->>'version')::int AS version FROM outbox WHERE envelope->'data'->>'feedbackId' = $1 ORDER BY seq`,
      [first.id],
    );
    expect(events).toEqual([
      { type: 'jrp.feedback.recorded', version: 1 },
      { type: 'jrp.feedback.corrected', version: 2 },
      { type: 'jrp.feedback.corrected', version: 3 },
    ]);
  });

  it('cancels: the feedback stops counting, its history stays, and measures sees it', async () => {
    expect((await post(MARKET, `/api/v1/feedback/${second.id}/cancellation`, { reason: 'x' })).status).toBe(404);
    expect((await post(FINANCE, `/api/v1/feedback/${second.id}/cancellation`, {})).body.errors).toContainEqual(
      expect.objectContaining({ field: 'reason' }),
    );
    const res = await post(FINANCE, `/api/v1/feedback/${second.id}/cancellation`, { reason: '误报' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, status: 'cancelled', statusLabel: '已作废', cancelReason: '误报' });
    expect(res.body.versions.map((v: View['versions'][number]) => v.kind)).toEqual(['recorded', 'cancelled']);
    expect(res.body.items.map((i: { measureId: string }) => i.measureId)).toEqual(['M01-11', 'M01-12']); // what it said stays readable
    // M01-12 has no standing feedback now; M01-11 falls back to the first feedback's latest version (no-business)
    const items = await suite.feedback.query<{ measure_id: string; outcome: string | null }>(
      'SELECT measure_id, outcome FROM task_items WHERE task_id = $1 ORDER BY 1',
      [task.id],
    );
    expect(items).toEqual([
      { measure_id: 'M01-10', outcome: 'implemented' },
      { measure_id: 'M01-11', outcome: 'no-business' },
      { measure_id: 'M01-12', outcome: null },
    ]);
    expect((await suite.feedback.query('SELECT fed_back_at FROM known_tasks WHERE id = $1', [task.id]))[0]).toEqual({
      fed_back_at: null,
    });
    expect((await post(FINANCE, `/api/v1/feedback/${second.id}/cancellation`, { reason: '再次' })).status).toBe(409);
    expect(
      (
        await post(FINANCE, `/api/v1/feedback/${second.id}/corrections`, {
          reason: 'x',
          items: [{ measureId: 'M01-12', outcome: 'no-business' }],
        })
      ).status,
    ).toBe(409);
    const finance = await suite.api.as(FINANCE);
    await waitFor('measures no longer sees the task fed back', async () => {
      const t = (await finance.get(`/api/v1/tasks/${task.id}`)).body;
      return t.status !== 'fed-back' && t.measures.find((m: { id: string }) => m.id === 'M01-12').feedback === null;
    });
  });

  it('honours Idempotency-Key: a repeat replays the first result and stores nothing more', async () => {
    const token = await suite.api.tokenOf(FINANCE);
    const body = { taskId: task.id, items: [{ measureId: 'M01-12', outcome: 'no-business' }] };
    const send = () =>
      suite.api
        .http()
        .post('/api/v1/feedback')
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', `fb-${task.id}`)
        .send(body);
    const a = await send();
    const b = await send();
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body.id).toBe(a.body.id);
    expect(
      await suite.feedback.count('SELECT * FROM feedback WHERE task_id = $1 AND cancelled_at IS NULL', [task.id]),
    ).toBe(2);
  });

  it('refuses feedback on a revoked task unless it reports what happened before the revocation', async () => {
    const other = await publish(suite, 7102);
    const railway = await taskOf(suite, other, RAILWAY);
    const removed = await (
      await suite.api.as(COURT)
    ).post(`/api/v1/lists/entries/${other}/transitions`, { action: 'remove', reason: '已履行', at: today });
    expect(removed.status).toBe(200);
    await waitFor(
      'feedback knows the revocation',
      async () =>
        (await suite.feedback.count(`SELECT * FROM known_tasks WHERE id = $1 AND status = 'revoked'`, [railway.id])) ===
        1,
    );
    const inProgress = await post(RAILWAY, '/api/v1/feedback', {
      taskId: railway.id,
      items: [{ measureId: 'M01-01', outcome: 'in-progress' }],
    });
    expect(inProgress.status).toBe(409);
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const before = await post(RAILWAY, '/api/v1/feedback', {
      taskId: railway.id,
      items: [{ measureId: 'M01-01', outcome: 'implemented', implementedAt: yesterday }],
    });
    expect(before.status).toBe(201);
  });

  it('keeps the rollups equal to a recount from the raw rows, and a replayed task event changes nothing', async () => {
    const { rollup, recount } = await rollupAndRecount(suite);
    expect(rollup.length).toBeGreaterThan(0);
    expect(rollup).toEqual(recount);
    // the finance task's dispatch delivered again, then the same change under another event id (a replay
    // from elsewhere), on the same key: the inbox drops the first, the version check the second
    const [event] = await taskEvents(suite.measures, `type = 'dispatched' AND task_id = $1`, [task.id]);
    const renamed = { ...event.envelope, id: `replay-${event.envelope.id}` };
    await suite.app
      .get(EventBus)
      .publish(
        [event.envelope, renamed].map((e) => ({ topic: Topics.Task, key: event.key, value: JSON.stringify(e) })),
      );
    await waitFor(
      'the replay consumed',
      async () => (await suite.feedback.count(`SELECT * FROM inbox WHERE event_id = $1`, [renamed.id])) === 1,
    );
    const again = await rollupAndRecount(suite);
    expect(again.rollup).toEqual(rollup);
    expect(again.recount).toEqual(recount);
  });
});
