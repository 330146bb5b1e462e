import { Controller, INestApplication, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { FeedbackEvents, FeedbackRecordedData, Topics } from '@jrp/contracts';
import { serviceDatabase, transactionManager } from '@jrp/database';
import { PlatformModule } from '@jrp/http';
import {
  ConsumerContext,
  ConsumesEvents,
  EventBus,
  MessagingModule,
  MessagingTables1764300000000,
  OutboxRelay,
  connectConsumers,
  startMessaging,
  UnitOfWork,
} from '@jrp/messaging';
import { cleanUp, SchemaProbe, testConfig, testEnvironment, uniquePrefix, waitFor } from '@jrp/testing';

class ProbeTables1764300009999 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query(
      `CREATE TABLE effects (n bigserial PRIMARY KEY, event_id text NOT NULL, attempt int NOT NULL, note text)`,
    );
  }
  async down() {}
}

const attempts = new Map<string, number>();

/** A consumer whose behaviour each event chooses through `organization`: OK, FAIL-2 (fails twice), FAIL-ALWAYS. */
@Controller()
class ProbeHandler {
  constructor(@InjectDataSource('probe') private readonly dataSource: DataSource) {}

  /** Its effect is written in the inbox transaction the consumer opened (rolled back with a failed attempt). */
  @ConsumesEvents(FeedbackEvents.Recorded, 'probe')
  async on(@Payload() data: FeedbackRecordedData, @Ctx() ctx: ConsumerContext) {
    const n = (attempts.get(ctx.event.id) ?? 0) + 1;
    attempts.set(ctx.event.id, n);
    await transactionManager(this.dataSource).query(
      `INSERT INTO effects (event_id, attempt, note) VALUES ($1, $2, $3)`,
      [ctx.event.id, n, data.taskId],
    );
    if (data.organization === 'FAIL-2' && n <= 2) throw new Error('transient failure');
    if (data.organization === 'FAIL-ALWAYS') throw new Error('broken handler');
  }
}

/**
 * The messaging guarantees on a real PostgreSQL, without the business services: inbox deduplication,
 * effects rolled back with a failed attempt, bounded retries, dead letters that do not block, order.
 */
describe('messaging: consumer, inbox, retries, dead letters, outbox relay', () => {
  const env = testEnvironment(uniquePrefix('msg'));
  let app: INestApplication;
  let bus: EventBus;
  let db: SchemaProbe;

  const event = (organization: string, id = randomUUID(), key = 'k1') => ({
    topic: Topics.Feedback,
    key,
    value: JSON.stringify({
      specversion: '1.0',
      id,
      source: '/test',
      type: FeedbackEvents.Recorded,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      partitionkey: key,
      data: {
        feedbackId: randomUUID(),
        version: 1,
        taskId: randomUUID(),
        organization,
        items: [],
        recordedAt: new Date().toISOString(),
        futureField: 'ignored',
      },
    }),
  });
  const idOf = (m: { value: string }) => JSON.parse(m.value).id as string;

  beforeAll(async () => {
    const config = testConfig(env);
    @Module({
      imports: [
        PlatformModule.forRoot(config, { dataSources: ['probe'] }),
        serviceDatabase({
          name: 'probe',
          schema: () => `${env.JRP_DB_SCHEMA_PREFIX}probe`,
          migrations: [MessagingTables1764300000000, ProbeTables1764300009999],
        }),
        MessagingModule.forService({
          service: 'probe',
          dataSource: 'probe',
          retry: { attempts: 3, baseMillis: 5 },
          relay: { idleMillis: 20 },
        }),
      ],
      controllers: [ProbeHandler],
    })
    class ProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectConsumers(app);
    await app.init();
    await startMessaging(app);
    bus = app.get(EventBus);
    db = new SchemaProbe(env.DATABASE_URL!, `${env.JRP_DB_SCHEMA_PREFIX}probe`);
  });

  afterAll(async () => {
    await app?.close();
    await cleanUp(env);
  });

  it('applies an event delivered twice once', async () => {
    const m = event('OK');
    await bus.publish([m]);
    await bus.publish([m]);
    expect(await db.count('SELECT * FROM effects WHERE event_id = $1', [idOf(m)])).toBe(1);
    expect(await db.count('SELECT * FROM inbox WHERE event_id = $1', [idOf(m)])).toBe(1);
  });

  it('retries a failing handler, rolling back each failed attempt, and applies it once', async () => {
    const m = event('FAIL-2');
    await bus.publish([m]);
    const rows = await db.query<{ attempt: number }>('SELECT attempt FROM effects WHERE event_id = $1', [idOf(m)]);
    expect(rows.map((r) => r.attempt)).toEqual([3]);
    expect(await db.count('SELECT * FROM dead_letters WHERE event_id = $1', [idOf(m)])).toBe(0);
  });

  it('sets aside a handler that keeps failing after the bounded attempts, and goes on', async () => {
    const broken = event('FAIL-ALWAYS');
    const next = event('OK');
    await bus.publish([broken, next]);
    const [letter] = await db.query<{ attempts: number; error: string; status: string }>(
      'SELECT attempts, error, status FROM dead_letters WHERE event_id = $1',
      [idOf(broken)],
    );
    expect(letter).toEqual({ attempts: 3, error: 'Error: broken handler', status: 'pending' });
    expect(await db.count('SELECT * FROM effects WHERE event_id = $1', [idOf(broken)])).toBe(0);
    expect(await db.count('SELECT * FROM inbox WHERE event_id = $1', [idOf(broken)])).toBe(0);
    expect(await db.count('SELECT * FROM effects WHERE event_id = $1', [idOf(next)])).toBe(1);
  });

  it('sets aside poison at once: not JSON, not a CloudEvent, a payload breaking its contract', async () => {
    const before = await db.count('SELECT * FROM dead_letters');
    const notJson = { topic: Topics.Feedback, key: 'k1', value: '{nope' };
    const notCloudEvent = { topic: Topics.Feedback, key: 'k1', value: JSON.stringify({ hello: 'world' }) };
    const badPayload = event('OK');
    const parsed = JSON.parse(badPayload.value);
    parsed.data.taskId = 'not-a-uuid';
    badPayload.value = JSON.stringify(parsed);
    const next = event('OK');
    await bus.publish([notJson, notCloudEvent, badPayload, next]);
    const letters = await db.query<{ error: string; attempts: number }>(
      'SELECT error, attempts FROM dead_letters ORDER BY id OFFSET $1',
      [before],
    );
    expect(letters.map((l) => l.attempts)).toEqual([1, 1, 1]);
    expect(letters[0].error).toContain('not JSON');
    expect(letters[1].error).toContain('invalid CloudEvent');
    expect(letters[2].error).toContain('taskId');
    expect(await db.count('SELECT * FROM effects WHERE event_id = $1', [idOf(next)])).toBe(1);
  });

  it('ignores event types the group does not handle', async () => {
    const other = JSON.parse(event('OK').value);
    other.type = FeedbackEvents.Cancelled;
    await bus.publish([{ topic: Topics.Feedback, key: 'k1', value: JSON.stringify(other) }]);
    expect(await db.count('SELECT * FROM inbox WHERE event_id = $1', [other.id])).toBe(0);
    expect(await db.count('SELECT * FROM dead_letters WHERE event_id = $1', [other.id])).toBe(0);
  });

  it('relays the outbox in order, once, and the consumer applies it in that order', async () => {
    const uow = app.get(UnitOfWork);
    const ids = Array.from({ length: 30 }, () => randomUUID());
    for (const id of ids) {
      await uow.run(() =>
        uow.outbox.append([
          { id, type: FeedbackEvents.Recorded, key: 'same-key', data: JSON.parse(event('OK', id).value).data },
        ]),
      );
    }
    await waitFor('outbox drained', async () => (await db.count('SELECT * FROM outbox_pending')) === 0);
    await waitFor(
      'all applied',
      async () => (await db.count('SELECT * FROM effects WHERE event_id = ANY($1)', [ids])) === ids.length,
    );
    const applied = await db.query<{ event_id: string }>(
      'SELECT event_id FROM effects WHERE event_id = ANY($1) ORDER BY n',
      [ids],
    );
    expect(applied.map((r) => r.event_id)).toEqual(ids);
    expect(await app.get(OutboxRelay).backlog()).toBe(0);
  });
});
