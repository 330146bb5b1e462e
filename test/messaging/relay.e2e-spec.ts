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
 * come before a drain has read cost no second drain; and the relay vacuums its queue of unsent rows as
 * it empties it.
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
});
