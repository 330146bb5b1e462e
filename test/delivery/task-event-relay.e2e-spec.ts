import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { eventIdOf, TaskChangedData, TaskEventOfChange, TaskChangeType, Topics } from '@jrp/contracts';
import { BusMessage, EventBus, MessagingRegistry, OutboxRelay, OutboxService } from '@jrp/messaging';
import { uniquePrefix, waitFor } from '@jrp/testing';
import { TaskEventFeed } from '../../apps/measures/src/tasks/feed/task-event-feed';
import { RAILWAY } from '../scenarios/loop.scenario';
import { courtEntryPublisher } from '../support/court-entries';
import { useStandalone } from '../support/standalone';
import { taskEvents } from '../support/task-events';

type Received = { eventId: string; key: string; value: string };

/**
 * measures sends its task events from the feed (`task_changes`) by the relay's cursor, on a real broker:
 * each row once and in seq order, the same bytes the outbox held before, again after a relay died
 * between the broker's acknowledgement and the cursor's update, nothing lost when two relays race for
 * the lock, and events an upgrade left in the outbox before the feed's.
 */
describe('task events: the relay sends the feed by cursor', () => {
  const topics = uniquePrefix('taskrelay').replace(/_/g, '-').slice(0, -1) + '.';
  const suite = useStandalone('taskrelay', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics });
  const received: Received[] = [];
  const publish = courtEntryPublisher(suite, 9100);

  beforeAll(async () => {
    // a group of the test's own reads every task event the broker holds, in partition order
    await suite.app.get(EventBus).subscribe({
      group: 'task-event-watch',
      topics: [Topics.Task],
      handle: (messages: BusMessage[]) => {
        for (const m of messages)
          received.push({ eventId: (JSON.parse(m.value) as { id: string }).id, key: m.key ?? '', value: m.value });
        return Promise.resolve();
      },
    });
  });

  /** The feed rows of these entries: seq, event id and key, in seq order. */
  async function feedOf(entryIds: string[]): Promise<{ seq: number; eventId: string; key: string }[]> {
    const rows = await suite.measures.query<{
      seq: string;
      task_id: string;
      task_version: number;
      type: TaskChangeType;
      event_key: string;
    }>(`SELECT seq, task_id, task_version, type, event_key FROM task_changes WHERE event_key = ANY($1) ORDER BY seq`, [
      entryIds,
    ]);
    return rows.map((r) => ({
      seq: Number(r.seq),
      eventId: eventIdOf('task', r.task_id, r.task_version, TaskEventOfChange[r.type]),
      key: r.event_key,
    }));
  }

  /** The feed rows of these entries once matching wrote all of them (an entry's tasks commit together). */
  const matched = (entryIds: string[]) =>
    waitFor('the entries matched', async () => {
      const found = await feedOf(entryIds);
      return new Set(found.map((r) => r.key)).size === entryIds.length ? found : undefined;
    });

  /** Waits until every event of these feed rows was received; returns the received messages of them, in arrival order. */
  async function receivedOf(rows: { eventId: string }[]): Promise<Received[]> {
    const wanted = new Set(rows.map((r) => r.eventId));
    return waitFor(
      `${wanted.size} task events received`,
      () => {
        const got = received.filter((r) => wanted.has(r.eventId));
        return Promise.resolve(new Set(got.map((r) => r.eventId)).size === wanted.size ? got : undefined);
      },
      60_000,
      100,
    );
  }

  /** Per key, the seqs of the received events rise (first arrivals: a resend repeats what came before). */
  function expectSeqOrderPerKey(got: Received[], rows: { seq: number; eventId: string }[]): void {
    const seqOf = new Map(rows.map((r) => [r.eventId, r.seq]));
    const last = new Map<string, number>();
    const seen = new Set<string>();
    for (const r of got) {
      if (seen.has(r.eventId)) continue;
      seen.add(r.eventId);
      const seq = seqOf.get(r.eventId)!;
      expect(seq).toBeGreaterThan(last.get(r.key) ?? 0);
      last.set(r.key, seq);
    }
  }

  const cursor = async () =>
    Number(
      (await suite.measures.query<{ seq: string }>(`SELECT seq FROM relay_cursors WHERE feed = 'task_changes'`))[0].seq,
    );

  it('sends each feed row once, in seq order per entry, as the bytes the outbox used to hold', async () => {
    const entries = await publish(20);
    const rows = await matched(entries);
    const got = await receivedOf(rows);
    expect(got).toHaveLength(rows.length); // once each
    expectSeqOrderPerKey(got, rows);
    expect(await cursor()).toBeGreaterThanOrEqual(rows[rows.length - 1].seq);
    // what the task writer used to append to the outbox for the same change, byte for byte
    const outbox = new OutboxService('/jrp/measures');
    const events = await taskEvents<TaskChangedData>(suite.measures, 'event_key = ANY($1)', [entries]);
    const byId = new Map(got.map((r) => [r.eventId, r]));
    for (const e of events) {
      const task = e.data;
      const formerly = outbox.envelopeOf(
        {
          id: eventIdOf('task', task.taskId, task.version, e.type),
          type: e.type,
          key: task.entryId,
          subject: `tasks/${task.taskId}`,
          data: task,
          time: new Date(task.changedAt),
        },
        e.envelope.correlationid,
      );
      expect(byId.get(e.eventId)).toEqual({ eventId: e.eventId, key: task.entryId, value: formerly });
    }
    // feedback took every one of them (its copy of the tasks)
    await waitFor('feedback knows the tasks', async () =>
      (await suite.feedback.count(`SELECT * FROM known_tasks WHERE entry_id = ANY($1)`, [entries])) === rows.length
        ? true
        : undefined,
    );
  });

  it('sends again from the cursor when the relay died between the broker’s acknowledgement and the cursor', async () => {
    const feed = suite.app.get(TaskEventFeed);
    const advance = jest
      .spyOn(feed, 'advance')
      .mockRejectedValueOnce(new Error('killed after the broker acknowledged, before the cursor moved'));
    try {
      const before = await cursor();
      const entries = await publish(3);
      const rows = await matched(entries);
      await receivedOf(rows);
      // the failed batch was sent and its transaction rolled back: the cursor did not move, so the next
      // batch sent its rows again (with whatever committed since)
      await waitFor('the cursor past them', async () =>
        (await cursor()) >= rows[rows.length - 1].seq ? true : undefined,
      );
      expect(advance.mock.calls.length).toBeGreaterThanOrEqual(2);
      const failedAt = Number(advance.mock.calls[0][0]);
      expect(failedAt).toBeGreaterThan(before);
      expect(Number(advance.mock.calls[1][0])).toBeGreaterThanOrEqual(failedAt);
      const resent = rows.filter((r) => r.seq <= failedAt).map((r) => r.eventId);
      expect(resent.length).toBeGreaterThan(0);
      const got = await waitFor('the failed batch received twice', () => {
        const found = received.filter((r) => rows.some((row) => row.eventId === r.eventId));
        return Promise.resolve(found.length === rows.length + resent.length ? found : undefined);
      });
      const count = new Map<string, number>();
      for (const r of got) count.set(r.eventId, (count.get(r.eventId) ?? 0) + 1);
      expect(rows.map((r) => count.get(r.eventId))).toEqual(rows.map((r) => (resent.includes(r.eventId) ? 2 : 1)));
      expectSeqOrderPerKey(got, rows);
      // at least once on the bus, once in effect: feedback's inbox took each event once
      await waitFor('feedback took them', async () =>
        (await suite.feedback.count(`SELECT * FROM inbox WHERE event_id = ANY($1)`, [rows.map((r) => r.eventId)])) ===
        rows.length
          ? true
          : undefined,
      );
    } finally {
      advance.mockRestore();
    }
  });

  it('loses and repeats nothing when two relays race for the lock, and keeps seq order per entry', async () => {
    const dataSource = suite.app.get<DataSource>(getDataSourceToken('measures'));
    // a second relay on the same schema, as another replica's: small batches, polling every 5 ms
    const rival = new OutboxRelay('measures', dataSource, new OutboxService('/jrp/measures'), suite.app.get(EventBus), {
      batchSize: 7,
      idleMillis: 5,
      errorBackoffMillis: 50,
      vacuumEvery: 1_000_000,
    });
    rival.addFeed(suite.app.get(TaskEventFeed));
    rival.start();
    try {
      const entries = (await Promise.all([publish(10), publish(10), publish(10)])).flat();
      const railway = await suite.api.as(RAILWAY);
      // more changes of the same tasks while both relays run: receipts (a second version of each railway task)
      const railwayTasks = await waitFor('the railway tasks', async () => {
        const found = await suite.measures.query<{ id: string }>(
          `SELECT id FROM tasks WHERE organization = $1 AND entry_id = ANY($2)`,
          [RAILWAY, entries],
        );
        return found.length === entries.length ? found : undefined;
      });
      for (const t of railwayTasks.slice(0, 10))
        expect((await railway.post(`/api/v1/tasks/${t.id}/ack`)).status).toBe(200);
      const rows = await feedOf(entries);
      const got = await receivedOf(rows);
      expect(got).toHaveLength(rows.length);
      expectSeqOrderPerKey(got, rows);
    } finally {
      await rival.stop();
    }
  });

  it('sends the task events an upgrade left in the outbox before the feed’s, and passes over rows without a key', async () => {
    const relay = suite.app.get(MessagingRegistry).relays.find((r) => r.service === 'measures')!;
    await relay.stop();
    let restarted = false;
    try {
      const [entry] = await publish(1);
      const dispatched = await waitFor('the entry matched', async () => {
        const found = await taskEvents(suite.measures, `event_key = $1`, [entry]);
        return found.length > 0 ? found : undefined;
      });
      const railwayTask = dispatched.find((e) => (e.data as { organization: string }).organization === RAILWAY)!;
      // as before the upgrade: the dispatches' events in the outbox, their feed rows without a key, the cursor before them
      await suite.measures.query(
        `WITH added AS (INSERT INTO outbox (event_id, topic, key, type, envelope) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::json[]) RETURNING seq)
         INSERT INTO outbox_pending (seq) SELECT seq FROM added`,
        [
          dispatched.map((e) => e.eventId),
          dispatched.map(() => Topics.Task),
          dispatched.map((e) => e.key),
          dispatched.map((e) => e.type),
          dispatched.map((e) => e.value),
        ],
      );
      const seqs = (await feedOf([entry])).map((r) => r.seq);
      await suite.measures.query(`UPDATE task_changes SET event_key = NULL WHERE seq = ANY($1)`, [seqs]);
      await suite.measures.query(`UPDATE relay_cursors SET seq = $1 WHERE feed = 'task_changes'`, [
        Math.min(...seqs) - 1,
      ]);
      // after the upgrade: a receipt, in the feed only
      const acked = await (await suite.api.as(RAILWAY)).post(`/api/v1/tasks/${railwayTask.data.taskId as string}/ack`);
      expect(acked.status).toBe(200);
      const [ack] = await taskEvents(suite.measures, `task_id = $1 AND task_version = 2`, [railwayTask.data.taskId]);
      relay.start();
      restarted = true;
      const got = await receivedOf([...dispatched, ack]);
      // each once: the outbox sent the dispatches, the cursor passed over their keyless rows
      expect(got.map((r) => r.eventId).sort()).toEqual([...dispatched, ack].map((e) => e.eventId).sort());
      expect(got.map((r) => r.value)).toEqual(expect.arrayContaining([...dispatched, ack].map((e) => e.value)));
      // the receipt after the railway task's dispatch
      const order = got.map((r) => r.eventId);
      expect(order.indexOf(ack.eventId)).toBeGreaterThan(order.indexOf(railwayTask.eventId));
      expect(await suite.measures.count(`SELECT * FROM outbox_pending`)).toBe(0);
      await waitFor('the cursor at the end', async () => ((await cursor()) >= Math.max(...seqs) ? true : undefined));
    } finally {
      if (!restarted) relay.start();
    }
  });
});
