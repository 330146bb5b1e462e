import { Controller, INestApplication, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { InjectDataSource } from '@nestjs/typeorm';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { ListEntryChangedData, ListEntryEvents, Topics } from '@jrp/contracts';
import { serviceDatabase, transactionManager } from '@jrp/database';
import { PlatformModule } from '@jrp/http';
import {
  connectConsumers,
  ConsumerContext,
  ConsumesEvents,
  DeadLetterResolutions1764300000301,
  EventBus,
  MessagingModule,
  MessagingTables1764300000000,
  startMessaging,
} from '@jrp/messaging';
import { cleanUp, SchemaProbe, testConfig, testEnvironment, uniquePrefix, waitFor } from '@jrp/testing';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'tools', 'dlq', 'cli.js');

class MatchingTables1764300009998 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE known_list_types (code text PRIMARY KEY)`);
    await q.query(`INSERT INTO known_list_types VALUES ('BL-COURT-DEBTOR')`);
    await q.query(`CREATE TABLE matched (n bigserial PRIMARY KEY, event_id text NOT NULL, entry_id uuid NOT NULL)`);
  }
  async down() {}
}

/**
 * Stands in for measures in a realistic failure: an entry of a list type the catalogue does not know
 * yet cannot be matched, so its event fails (and, after the bounded attempts, becomes a dead letter)
 * until the catalogue learns the list type. The group is called `measures`, as the real one.
 */
@Controller()
class MatchingStandIn {
  constructor(@InjectDataSource('measures') private readonly dataSource: DataSource) {}

  @ConsumesEvents(ListEntryEvents.Listed, 'measures')
  async onListed(@Payload() entry: ListEntryChangedData, @Ctx() ctx: ConsumerContext): Promise<void> {
    // the inbox transaction the consumer opened for this event
    const manager = transactionManager(this.dataSource);
    const [known] = await manager.query(`SELECT 1 FROM known_list_types WHERE code = $1`, [entry.listType]);
    if (!known) throw new Error(`unknown list type ${entry.listType}`);
    await manager.query(`INSERT INTO matched (event_id, entry_id) VALUES ($1, $2)`, [ctx.event.id, entry.entryId]);
  }
}

/** A `jrp.list-entry.listed` CloudEvent in structured mode, as list-ingestion's relay sends it. */
export function listed(listType: string, entryId: string = randomUUID()) {
  const id = randomUUID();
  const key = `subject-${entryId.slice(0, 8)}`;
  const data = {
    entryId,
    version: 1,
    listType,
    status: 'active',
    subjectKey: key,
    subject: { kind: 'legal', name: '某某公司', uscc: '91340100MA0000000X' },
    reason: '拒不履行',
    decidedBy: '合肥市中级人民法院',
    documentNo: `（2026）皖01执${entryId.slice(0, 4)}号`,
    listedAt: '2026-11-02',
    region: '340100',
    publishedBy: 'AH-COURT',
    changedAt: new Date().toISOString(),
  };
  const value = JSON.stringify({
    specversion: '1.0',
    id,
    source: '/jrp/list-ingestion',
    type: ListEntryEvents.Listed,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    partitionkey: key,
    data,
  });
  return { id, entryId, message: { topic: Topics.ListEntry, key, value } };
}

/** Runs `npm run dlq -- …` the way an operator would (the compiled command), with the deployment's environment; `out` is its stdout. */
function dlq(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; out: string }> {
  const pick = ['DATABASE_URL', 'JRP_DB_SCHEMA_PREFIX', 'JRP_BUS', 'KAFKA_BROKERS', 'JRP_TOPIC_PREFIX'];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env.PATH, ...Object.fromEntries(pick.map((k) => [k, env[k]]).filter(([, v]) => v)) },
        timeout: 60000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout || stderr }),
    );
  });
}

/** The value of one sample in a Prometheus text exposition. */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/**
 * `npm run dlq` on one bus, against a stand-in for measures that rejects entries of list types its
 * catalogue does not know: poison and rejected events become dead letters; once the catalogue knows the
 * list type, a replay is processed exactly once; a discard takes a letter off the list with its reason.
 */
export function deadLetterSuite(busName: 'in-process' | 'kafka'): void {
  describe(`dead letters on the ${busName} bus: npm run dlq`, () => {
    const prefix = uniquePrefix(`dlq_${busName === 'kafka' ? 'k' : 'i'}`);
    const env = testEnvironment(prefix, {
      JRP_BUS: busName,
      JRP_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '2',
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    });
    let app: INestApplication;
    let bus: EventBus;
    const db = new SchemaProbe(env.DATABASE_URL!, `${prefix}measures`);
    const deadLetters = async () =>
      busName === 'in-process'
        ? (await db.query<{ event_id: string }>(`SELECT event_id FROM dead_letters`)).map((r) => r.event_id)
        : (
            await (
              bus as unknown as { readTopic(t: string): Promise<{ headers?: Record<string, string> }[]> }
            ).readTopic(`${Topics.ListEntry}.dlq.measures`)
          ).map((m) => m.headers?.['jrp-event-id']);
    const metrics = async () => (await request(app.getHttpServer()).get('/metrics')).text;

    // an entry of a known list type, two of a list type not in the catalogue yet, and a payload breaking its contract
    const known = listed('BL-COURT-DEBTOR');
    const early = listed('BL-NEW-TYPE');
    const early2 = listed('BL-NEW-TYPE');
    const poison = listed('BL-COURT-DEBTOR', 'not-a-uuid');

    beforeAll(async () => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
      const config = testConfig(env);
      @Module({
        imports: [
          PlatformModule.forRoot(config, { dataSources: ['measures'] }),
          serviceDatabase({
            name: 'measures',
            schema: () => `${prefix}measures`,
            migrations: [MessagingTables1764300000000, DeadLetterResolutions1764300000301, MatchingTables1764300009998],
          }),
          MessagingModule.forService({
            service: 'measures',
            dataSource: 'measures',
            retry: { attempts: 2, baseMillis: 5 },
            relay: { idleMillis: 20 },
          }),
        ],
        controllers: [MatchingStandIn],
      })
      class StandInModule {}
      app = (await Test.createTestingModule({ imports: [StandInModule] }).compile()).createNestApplication({
        logger: false,
      });
      connectConsumers(app);
      await app.init();
      await startMessaging(app);
      bus = app.get(EventBus);
      await bus.publish([known.message, early.message, early2.message, poison.message]);
      await waitFor('three dead letters', async () => (await deadLetters()).length === 3, 30000, 200);
      await waitFor('the known entry matched', async () => (await db.count(`SELECT * FROM matched`)) === 1, 30000);
    });

    afterAll(async () => {
      await app?.close();
      await cleanUp(env);
    });

    it('lists the pending dead letters as a table, and counts them in the metrics', async () => {
      expect((await deadLetters()).sort()).toEqual([early.id, early2.id, poison.id].sort());
      const { code, out } = await dlq(env, 'list');
      expect(code).toBe(0);
      const [header, ...rows] = out.trim().split('\n');
      expect(header).toMatch(/^EVENT ID\s+TYPE\s+TOPIC\s+GROUP\s+ERROR\s+FIRST SEEN\s+STATUS$/);
      expect(rows.at(-1)).toBe(`3 dead letter(s) pending on the ${busName} bus`);
      const line = (id: string) => rows.find((r) => r.startsWith(id)) ?? '';
      expect(line(early.id)).toMatch(
        /jrp\.list-entry\.listed\s+jrp\.list-entry\.v1\s+measures\s+Error: unknown list type BL-NEW-TYPE\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+pending$/,
      );
      expect(line(poison.id)).toContain('Error: invalid jrp.list-entry.listed data: entryId');
      expect(line(known.id)).toBe('');
      expect(sample(await metrics(), 'jrp_dead_letters_pending', { group: 'measures', topic: Topics.ListEntry })).toBe(
        3,
      );
      expect(sample(await metrics(), 'jrp_dead_lettered_total', { group: 'measures', topic: Topics.ListEntry })).toBe(
        3,
      );
      expect((await dlq(env, 'list', '--id', early2.id)).out).toContain('1 dead letter(s) pending');
    });

    it('refuses a replay that names no letter, and a discard without a reason', async () => {
      expect((await dlq(env, 'replay')).code).toBe(2);
      expect((await dlq(env, 'discard', '--id', poison.id)).code).toBe(2);
    });

    it('replays a letter once the catalogue knows its list type: processed exactly once', async () => {
      await db.query(`INSERT INTO known_list_types VALUES ('BL-NEW-TYPE')`); // the fix: the catalogue learns the list type
      const replay = await dlq(env, 'replay', '--id', early.id);
      expect(replay.code).toBe(0);
      expect(replay.out).toContain(`replayed ${early.id}`);
      await waitFor(
        'the replayed entry matched',
        async () => (await db.count(`SELECT * FROM matched WHERE event_id = $1`, [early.id])) === 1,
        30000,
      );
      expect(await db.count(`SELECT * FROM inbox WHERE event_id = $1`, [early.id])).toBe(1);
      expect((await dlq(env, 'replay', '--id', early.id)).code).toBe(1); // no longer pending
      // the original message again (as a second replay would send it): the inbox drops it
      await bus.publish([early.message, listed('BL-COURT-DEBTOR').message]);
      await waitFor('a later event processed', async () => (await db.count(`SELECT * FROM matched`)) === 3, 30000);
      expect(await db.count(`SELECT * FROM matched WHERE event_id = $1`, [early.id])).toBe(1);
    });

    it('discards a letter with a reason: it leaves the list, and --all shows what became of each', async () => {
      const discard = await dlq(
        env,
        'discard',
        '--id',
        poison.id,
        '--reason',
        'payload breaks the contract; the court resends it',
      );
      expect(discard.code).toBe(0);
      const pending = await dlq(env, 'list');
      expect(pending.out).toContain('1 dead letter(s) pending');
      expect(pending.out).not.toContain(poison.id);
      expect((await dlq(env, 'replay', '--all')).code).toBe(0); // the last one, early2
      await waitFor(
        'the second entry matched',
        async () => (await db.count(`SELECT * FROM matched WHERE event_id = $1`, [early2.id])) === 1,
        30000,
      );
      const all = await dlq(env, 'list', '--all');
      const rows = all.out.trim().split('\n');
      expect(rows.at(-1)).toBe(`3 dead letter(s) on the ${busName} bus`);
      expect(rows.find((r) => r.startsWith(poison.id))).toMatch(
        /discarded: payload breaks the contract; the court resends it$/,
      );
      expect(rows.find((r) => r.startsWith(early.id))).toMatch(/replayed$/);
      expect(rows.find((r) => r.startsWith(early2.id))).toMatch(/replayed$/);
      expect(sample(await metrics(), 'jrp_dead_letters_pending', { group: 'measures', topic: Topics.ListEntry })).toBe(
        0,
      );
      expect(await db.count(`SELECT * FROM matched`)).toBe(4);
    });
  });
}
