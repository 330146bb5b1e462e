import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FeedbackEvents, Topics } from '@jrp/contracts';
import { inTransaction, serviceDatabase } from '@jrp/database';
import { PlatformModule } from '@jrp/http';
import {
  BusMessage,
  EventBus,
  MessagingModule,
  MessagingTables1764300000000,
  OutboxAsSent1764300000302,
  OutboxRelay,
  OutboxService,
  startMessaging,
} from '@jrp/messaging';
import { cleanUp, testConfig, testEnvironment, uniquePrefix, waitFor } from '@jrp/testing';

/**
 * The relay on a real PostgreSQL: an event committed while the relay is sending an earlier batch goes
 * out as soon as that batch is sent, not after the relay's idle interval (here a minute); wake-ups that
 * come before a drain has read cost no second drain; the relay vacuums its queue of unsent rows as it
 * empties it; the next batch read while one is being sent never passes over a lower seq that committed
 * late; and it leads on a session of its own, which it gives back when it stops, and takes again after
 * losing it.
 */
describe('messaging: outbox relay wake-ups and its queue', () => {
  const env = testEnvironment(uniquePrefix('relay'));
  let app: INestApplication;

  beforeAll(async () => {
    @Module({
      imports: [
        PlatformModule.forRoot(testConfig(env), { dataSources: ['relayprobe'] }),
        serviceDatabase({
          name: 'relayprobe',
          schema: () => `${env.JRP_DB_SCHEMA_PREFIX}relayprobe`,
          migrations: [MessagingTables1764300000000, OutboxAsSent1764300000302],
        }),
        MessagingModule.forService({
          service: 'relayprobe',
          dataSource: 'relayprobe',
          relay: { idleMillis: 60_000, vacuumEvery: 50 },
        }),
      ],
    })
    class RelayProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [RelayProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await startMessaging(app);
  });

  afterAll(async () => {
    await app?.close();
    await cleanUp(env);
  });

  it('sends an event committed during a drain right after that drain, without the idle wait', async () => {
    const outbox = app.get(OutboxService);
    const dataSource = app.get<DataSource>(getDataSourceToken('relayprobe'));
    const append = async (id: string) => {
      // the relay is woken once the transaction has committed
      await inTransaction(dataSource, () =>
        outbox.append([{ id, type: FeedbackEvents.Recorded, key: 'k', data: { n: id } }]),
      );
    };
    const received: { id: string; at: number }[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const firstArrived = new Promise<void>((resolve) => (holding = resolve));
    await app.get(EventBus).subscribe({
      group: 'relay-watcher',
      topics: [Topics.Feedback],
      handle: async (messages: BusMessage[]) => {
        for (const m of messages) received.push({ id: JSON.parse(m.value).id, at: Date.now() });
        if (received.length === 1) {
          holding();
          await held; // the relay's first drain is still sending
        }
      },
    });
    const first = `relay-first-${randomUUID()}`;
    const second = `relay-second-${randomUUID()}`;
    await append(first);
    await firstArrived;
    await append(second); // committed and woken while the relay is inside its first drain
    const releasedAt = Date.now();
    release();
    await waitFor('the second event sent', () => Promise.resolve(received.some((r) => r.id === second)), 10_000, 20);
    expect(received.map((r) => r.id)).toEqual([first, second]);
    expect(received[1].at - releasedAt).toBeLessThan(5_000);
  });

  it('drains once for a commit announced twice before the drain read (the writer and the consumer both wake it)', async () => {
    const outbox = app.get(OutboxService);
    const dataSource = app.get<DataSource>(getDataSourceToken('relayprobe'));
    // a feed that only counts the drains that reach it (the outbox's batch is never full here)
    let drains = 0;
    app.get(OutboxRelay).addFeed({
      name: 'drain-counter',
      next: () => {
        drains++;
        return Promise.resolve(undefined);
      },
      advance: () => Promise.resolve(),
      backlogStats: () => Promise.resolve({ n: 0, age: 0 }),
      staleBacklog: () => Promise.resolve(0),
    });
    await inTransaction(dataSource, () =>
      outbox.append([{ id: `relay-once-${randomUUID()}`, type: FeedbackEvents.Recorded, key: 'k', data: {} }]),
    );
    outbox.wake(); // as the consumer server does after its batch's commit, in the same turn
    await waitFor(
      'the row sent',
      async () => Number((await dataSource.query(`SELECT count(*) AS n FROM outbox_pending`))[0].n) === 0,
      10_000,
      20,
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second drain would have run at once
    expect(drains).toBe(1);
  });

  it('vacuums outbox_pending once it has taken vacuumEvery sent rows off it', async () => {
    const outbox = app.get(OutboxService);
    const dataSource = app.get<DataSource>(getDataSourceToken('relayprobe'));
    const vacuums = async () =>
      Number(
        (
          await dataSource.query(
            `SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'outbox_pending'::regclass`,
          )
        )[0]?.vacuum_count ?? 0,
      );
    const before = await vacuums();
    await inTransaction(dataSource, () =>
      outbox.append(
        Array.from({ length: 60 }, (_, i) => ({
          id: `relay-bulk-${i}-${randomUUID()}`,
          type: FeedbackEvents.Recorded,
          key: `k${i}`,
          data: { i },
        })),
      ),
    );
    await waitFor(
      'the rows sent',
      async () => Number((await dataSource.query(`SELECT count(*) AS n FROM outbox_pending`))[0].n) === 0,
      10_000,
      20,
    );
    await waitFor('outbox_pending vacuumed', async () => (await vacuums()) > before, 10_000, 100);
  });

  /** A relay of the probe's schema with its own options, beside (or instead of) the application's. */
  const relayWith = (bus: EventBus, batchSize: number) =>
    new OutboxRelay('relayprobe', app.get<DataSource>(getDataSourceToken('relayprobe')), app.get(OutboxService), bus, {
      batchSize,
      idleMillis: 20,
      errorBackoffMillis: 50,
      vacuumEvery: 1_000_000,
    });

  /** The ids of the events of `ids` a new consumer group receives, in the order received. */
  const receiver = async (group: string, ids: Set<string>) => {
    const received: string[] = [];
    await app.get(EventBus).subscribe({
      group,
      topics: [Topics.Feedback],
      handle: (messages: BusMessage[]) => {
        for (const m of messages) {
          const id = (JSON.parse(m.value) as { data: { n: string } }).data.n;
          if (ids.has(id)) received.push(id);
        }
        return Promise.resolve();
      },
    });
    return received;
  };

  it('reads the next batch while one is sent without passing over a lower seq that committed meanwhile', async () => {
    const dataSource = app.get<DataSource>(getDataSourceToken('relayprobe'));
    const outbox = app.get(OutboxService);
    const own = app.get(OutboxRelay);
    await own.stop();
    const run = randomUUID();
    const event = (name: string, key: string) => ({
      id: `relay-ahead-${name}-${run}`,
      type: FeedbackEvents.Recorded,
      key: `${key}-${run}`,
      data: { n: name },
    });
    const received = await receiver(`relay-ahead-${run}`, new Set(['a', 'b', 'x', 'y']));
    // the first batch's send waits until `release`
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let sending!: () => void;
    const firstSending = new Promise<void>((resolve) => (sending = resolve));
    let sends = 0;
    const bus = app.get(EventBus);
    const holding = new Proxy(bus, {
      get: (target, property) =>
        property === 'publish'
          ? async (messages: BusMessage[]) => {
              if (sends++ === 0) {
                sending();
                await released;
              }
              return target.publish(messages);
            }
          : Reflect.get(target, property, target),
    });
    const relay = relayWith(holding, 1); // every batch full: each next one read while the last is sent
    // a takes its seq first but commits last, after x and y were committed and the relay read x
    let commitA!: () => void;
    const aMayCommit = new Promise<void>((resolve) => (commitA = resolve));
    let aAppended!: () => void;
    const aHasSeq = new Promise<void>((resolve) => (aAppended = resolve));
    const a = inTransaction(dataSource, async () => {
      await outbox.append([event('a', 'k')]);
      aAppended();
      await aMayCommit;
    });
    await aHasSeq;
    await inTransaction(dataSource, () => outbox.append([event('x', 'other')]));
    await inTransaction(dataSource, () => outbox.append([event('y', 'other')]));
    relay.start();
    try {
      await firstSending; // x is being sent, y read behind it
      commitA();
      await a;
      // b: the same key as a, committed after a: it must follow a
      await inTransaction(dataSource, () => outbox.append([event('b', 'k')]));
      release();
      await waitFor('all four sent', () => Promise.resolve(received.length >= 4), 15_000, 20);
      expect(received.slice(0, 2)).toEqual(['x', 'y']);
      expect(received.indexOf('a')).toBeLessThan(received.indexOf('b'));
      expect([...received].sort()).toEqual(['a', 'b', 'x', 'y']);
    } finally {
      release();
      await relay.stop();
      own.start();
    }
  });

  it('leads on a session of its own: held between drains, given back when it stops, taken again after the session is lost', async () => {
    const dataSource = app.get<DataSource>(getDataSourceToken('relayprobe'));
    const outbox = app.get(OutboxService);
    const relay = app.get(OutboxRelay);
    // the backends holding the probe schema's relay lock
    const holders = async () =>
      (
        await dataSource.query<{ pid: number; state: string }[]>(
          `SELECT l.pid, a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid,
             (SELECT hashtext(current_schema() || '.outbox-relay')::bigint AS k) key
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
             AND l.classid::bigint = (key.k >> 32) & 4294967295 AND l.objid::bigint = key.k & 4294967295`,
        )
      ).map((r) => ({ pid: Number(r.pid), state: r.state }));
    const sent = (id: string) => async () =>
      Number(
        (
          await dataSource.query(
            `SELECT count(*) AS n FROM outbox_pending p JOIN outbox o ON o.seq = p.seq WHERE o.event_id = $1`,
            [id],
          )
        )[0].n,
      ) === 0;
    const append = async () => {
      const id = `relay-lead-${randomUUID()}`;
      await inTransaction(dataSource, () => outbox.append([{ id, type: FeedbackEvents.Recorded, key: 'k', data: {} }]));
      await waitFor('the event sent', sent(id), 10_000, 20);
    };

    await append();
    const [leader] = await holders();
    expect(leader).toBeDefined();
    expect(leader.state).toBe('idle'); // held by the session between drains, not by an open transaction
    // a rival cannot lead meanwhile
    const rival = relayWith(app.get(EventBus), 10);
    rival.start();
    await append();
    expect((await holders()).map((h) => h.pid)).toEqual([leader.pid]);
    await rival.stop();

    // the session is lost (killed): the next drain fails, and the relay leads again on a new one
    await dataSource.query(`SELECT pg_terminate_backend($1)`, [leader.pid]);
    await append();
    const [next] = await holders();
    expect(next.pid).not.toBe(leader.pid);

    // stopped: the lock is given back, and the connection returns to the pool without it
    await relay.stop();
    expect(await holders()).toEqual([]);
    relay.start();
    await append();
    expect(await holders()).toHaveLength(1);
  });
});
