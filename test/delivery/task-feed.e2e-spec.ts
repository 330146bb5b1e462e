import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TaskChangedData } from '@jrp/contracts';
import { currentManager, inTransaction } from '@jrp/database';
import { SseClient, uniquePrefix, waitFor } from '@jrp/testing';
import { TaskFeedRepository } from '../../apps/measures/src/tasks/feed/task-feed.repository';
import { COURT, RAILWAY } from '../scenarios/loop.scenario';
import { courtEntryPublisher } from '../support/court-entries';
import { useStandalone } from '../support/standalone';

type Item = { cursor: string; type: string; task: { id: string; entryId: string; version: number } };

/**
 * The departments' change feed on a real broker: long polling, resuming from any cursor, and the
 * Server-Sent Events stream resuming across a restart of the server.
 */
describe('task feed: long poll, cursors, Server-Sent Events', () => {
  const topics = uniquePrefix('feed').replace(/_/g, '-').slice(0, -1) + '.';
  // a department's system reads its feed far more than a person would: no rate limit in the way
  const suite = useStandalone('feed', {
    JRP_BUS: 'kafka',
    JRP_TOPIC_PREFIX: topics,
    JRP_RATE_LIMIT_PER_MINUTE: '100000',
  });
  const publish = courtEntryPublisher(suite, 7000);

  // a listening server: the stream needs a URL, and the many requests below reuse it
  beforeAll(() => suite.app.listen(0, '127.0.0.1'));

  async function readAll(after?: string, limit = 1000): Promise<Item[]> {
    const railway = await suite.api.as(RAILWAY);
    const items: Item[] = [];
    for (let cursor = after; ;) {
      const res = await railway.get(`/api/v1/tasks/feed?limit=${limit}${cursor ? `&after=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      // a page says whether more follow: a full page with more, or the end for now (no empty page needed)
      if (!res.body.hasMore) return items;
      expect(res.body.items.length).toBe(limit);
      cursor = res.body.next;
    }
  }

  /** Runs `work` over `items`, 16 at a time, results in order. */
  async function inParallel<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    for (let i = 0; i < items.length; i += 16) results.push(...(await Promise.all(items.slice(i, i + 16).map(work))));
    return results;
  }

  const tasksOf = async (entryIds: string[]) => {
    const wanted = new Set(entryIds);
    return waitFor(
      `${entryIds.length} railway tasks`,
      async () => {
        const found = (await readAll()).filter((i) => i.type === 'dispatched' && wanted.has(i.task.entryId));
        return found.length === entryIds.length ? found : undefined;
      },
      60000,
    );
  };

  it('answers a long poll as soon as a change arrives, well before its wait', async () => {
    const railway = await suite.api.as(RAILWAY);
    const end = (await railway.get('/api/v1/tasks/feed?limit=1000')).body.next;
    const started = Date.now();
    const poll = railway.get(`/api/v1/tasks/feed?after=${end}&wait=30`);
    const pending = poll.then((res) => ({ res, waited: Date.now() - started }));
    await new Promise((r) => setTimeout(r, 1000));
    const [entryId] = await publish(1);
    const { res, waited } = await pending;
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: Item) => [i.type, i.task.entryId])).toEqual([['dispatched', entryId]]);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(15000);
    expect(res.body.next).toBe(res.body.items[0].cursor);
    expect(res.body.hasMore).toBe(false);
  });

  it('answers an empty long poll empty once the wait is over, with the same cursor', async () => {
    const railway = await suite.api.as(RAILWAY);
    const end = (await readAll()).at(-1)!.cursor;
    const res = await railway.get(`/api/v1/tasks/feed?after=${end}&wait=1`);
    expect(res.body).toEqual({ items: [], next: end, hasMore: false });
    expect((await railway.get('/api/v1/tasks/feed?wait=61')).status).toBe(400);
  });

  it('reproduces a 1,000-change history exactly from every cursor', async () => {
    const entries = await publish(400);
    const tasks = await tasksOf(entries);
    const railway = await suite.api.as(RAILWAY);
    const statuses = await inParallel(
      tasks.slice(0, 300),
      async (t) => (await railway.post(`/api/v1/tasks/${t.task.id}/ack`)).status,
    );
    const court = await suite.api.as(COURT);
    statuses.push(
      ...(await inParallel(
        entries.slice(100),
        async (entryId) =>
          (
            await court.post(`/api/v1/lists/entries/${entryId}/transitions`, {
              action: 'remove',
              reason: '已履行',
              at: '2026-11-20',
            })
          ).status,
      )),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const ours = new Set(entries);
    const history = await waitFor(
      '1,000 changes of these entries',
      async () => {
        const all = await readAll();
        return all.filter((i) => ours.has(i.task.entryId)).length === 1000 ? all : undefined;
      },
      60000,
    );
    const counts = history
      .filter((i) => ours.has(i.task.entryId))
      .reduce<Record<string, number>>((c, i) => ({ ...c, [i.type]: (c[i.type] ?? 0) + 1 }), {});
    expect(counts).toEqual({ dispatched: 400, acknowledged: 300, revoked: 300 });
    // each (task, version) once, versions in order per task
    const seen = new Map<string, number>();
    for (const i of history) {
      expect(i.task.version).toBeGreaterThan(seen.get(i.task.id) ?? 0);
      seen.set(i.task.id, i.task.version);
    }
    // paging with an odd page size gives the same history
    expect((await readAll(undefined, 7)).map((i) => i.cursor)).toEqual(history.map((i) => i.cursor));
    // from every cursor, the next page is exactly what followed it
    const cursors = history.map((i) => i.cursor);
    const pages = await inParallel(cursors, async (cursor) =>
      (await railway.get(`/api/v1/tasks/feed?after=${cursor}&limit=20`)).body.items.map((i: Item) => i.cursor),
    );
    pages.forEach((page, n) => expect(page).toEqual(cursors.slice(n + 1, n + 21)));
  });

  it('keeps seq in commit order: an append waits inside its insert for the open append before it', async () => {
    const repository = suite.app.get(TaskFeedRepository);
    const dataSource = suite.app.get<DataSource>(getDataSourceToken('measures'));
    const change = (): { type: 'dispatched'; task: TaskChangedData; json: string; correlationId: undefined } => {
      const task: TaskChangedData = {
        taskId: randomUUID(),
        version: 1,
        entryId: randomUUID(),
        entryVersion: 1,
        organization: 'AH-TAX',
        organizationName: '国家税务总局安徽省税务局',
        listType: 'BL-COURT-DEBTOR',
        listTypeName: '失信被执行人',
        region: '340100',
        subject: { kind: 'legal', name: '安徽测试顺序有限公司' },
        measures: [],
        status: 'open',
        disputed: false,
        dueAt: '2026-12-10T15:59:59.999Z',
        changedAt: new Date().toISOString(),
        acknowledgedAt: null,
        returnReason: null,
      };
      return { type: 'dispatched', task, json: JSON.stringify(task), correlationId: undefined };
    };
    const [first, second] = [change(), change()];
    let appended!: () => void;
    const firstAppended = new Promise<void>((resolve) => (appended = resolve));
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let holder = 0;
    const firstDone = inTransaction(dataSource, async () => {
      await repository.append([first]);
      [{ pid: holder }] = await currentManager(dataSource).query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
      appended();
      await committing; // holds its transaction open, and with it the feed's lock
    });
    await firstAppended;
    let secondDone = false;
    const secondAppend = inTransaction(dataSource, () => repository.append([second])).then(() => (secondDone = true));
    // the second append is inside its insert, waiting for the feed's lock (no seq taken yet)
    await waitFor('the second append waiting for the feed lock', async () => {
      const waiting = await suite.measures.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE $1 = ANY(pg_blocking_pids(pid)) AND wait_event = 'advisory' AND query LIKE '%INSERT INTO task_changes%'`,
        [holder],
      );
      return Number(waiting[0].n) > 0 ? true : undefined;
    });
    expect(secondDone).toBe(false);
    commit();
    await Promise.all([firstDone, secondAppend]);
    const seqs = await suite.measures.query<{ task_id: string; seq: string }>(
      `SELECT task_id, seq FROM task_changes WHERE task_id = ANY($1::uuid[])`,
      [[first.task.taskId, second.task.taskId]],
    );
    const seqOf = new Map(seqs.map((r) => [r.task_id, BigInt(r.seq)]));
    expect(seqOf.get(first.task.taskId)! < seqOf.get(second.task.taskId)!).toBe(true);
  });

  it('refuses a cursor that is not one', async () => {
    const res = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?after=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'after', message: 'is not a cursor returned by this API' }]);
  });

  it('streams changes as Server-Sent Events and resumes with Last-Event-ID across a restart, losing nothing', async () => {
    const token = await suite.api.tokenOf(RAILWAY);
    const auth = { Authorization: `Bearer ${token}` };
    const before = (await readAll()).at(-1)!.cursor;
    const first = new SseClient(`${await suite.app.getUrl()}/api/v1/tasks/stream?after=${before}`, auth);
    expect(await first.opened).toBe(200);
    const firstBatch = await publish(3);
    await waitFor('3 streamed tasks', () => Promise.resolve(first.events.length >= 3 || undefined), 30000);
    // entries of different subjects travel on different partitions: their order among themselves is free
    expect(first.events.map((e) => [e.event, JSON.parse(e.data).task.entryId]).sort()).toEqual(
      firstBatch.map((id) => ['dispatched', id]).sort(),
    );
    const lastSeen = first.events.at(-1)!.id!;

    await suite.restart();
    await first.closed;
    await suite.app.listen(0, '127.0.0.1');
    const missed = await publish(2);
    await tasksOf(missed);
    // the token survives the restart; a new stream resumes where the old one stopped
    const second = new SseClient(`${await suite.app.getUrl()}/api/v1/tasks/stream`, {
      ...auth,
      'Last-Event-ID': lastSeen,
    });
    expect(await second.opened).toBe(200);
    const later = await publish(1);
    await waitFor('3 more streamed tasks', () => Promise.resolve(second.events.length >= 3 || undefined), 30000);
    expect(
      second.events
        .slice(0, 2)
        .map((e) => JSON.parse(e.data).task.entryId)
        .sort(),
    ).toEqual([...missed].sort());
    expect(second.events.slice(2).map((e) => JSON.parse(e.data).task.entryId)).toEqual(later);
    // the ids are the feed's cursors: stream and feed tell the same history
    const feed = await readAll(before);
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual(feed.map((i) => i.cursor));
    // an idle stream sends a heartbeat comment at least every 15 s
    const heard = second.comments.length;
    await waitFor('a heartbeat', () => Promise.resolve(second.comments.length > heard || undefined), 15000);
    expect(second.comments.at(-1)).toMatch(/^heartbeat /);
    second.close();
  });

  it('streams only to implementers, and only their own organisation’s changes', async () => {
    const url = await suite.app.getUrl();
    const anonymous = new SseClient(`${url}/api/v1/tasks/stream`, {});
    expect(await anonymous.opened).toBe(401);
    const created = await suite.api
      .http()
      .post('/api/v1/admin/organizations')
      .set('Authorization', `Bearer ${suite.env.JRP_ADMIN_TOKEN}`)
      .send({
        code: 'TEST-PUBLISHER-ONLY',
        name: '测试发起部门',
        level: 'province',
        region: '340000',
        roles: ['publisher'],
      });
    expect(created.status).toBe(201);
    const publisher = new SseClient(`${url}/api/v1/tasks/stream`, {
      Authorization: `Bearer ${await suite.api.tokenOf('TEST-PUBLISHER-ONLY')}`,
    });
    expect(await publisher.opened).toBe(403);
  });
});
