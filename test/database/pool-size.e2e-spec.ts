import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { serviceDatabase } from '@jrp/database';
import { PlatformModule } from '@jrp/http';
import { cleanUp, testConfig, testEnvironment, uniquePrefix } from '@jrp/testing';

/**
 * JRP_DB_POOL_SIZE on a real PostgreSQL: a service's pool opens at most that many connections, and the
 * next caller waits for one to come back rather than opening another.
 */
describe('database: the pool size a deployment sets', () => {
  const env = testEnvironment(uniquePrefix('pool'), { JRP_DB_POOL_SIZE: '3' });
  const application = `jrp-poolprobe-${env.JRP_DB_SCHEMA_PREFIX}`.slice(0, 63);
  let app: INestApplication;
  let dataSource: DataSource;
  let observer: Client;

  beforeAll(async () => {
    @Module({
      imports: [
        PlatformModule.forRoot(testConfig(env), { dataSources: ['poolprobe'] }),
        serviceDatabase({ name: 'poolprobe', schema: () => `${env.JRP_DB_SCHEMA_PREFIX}poolprobe`, migrations: [] }),
      ],
    })
    class PoolProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [PoolProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    dataSource = app.get(getDataSourceToken('poolprobe'));
    observer = new Client({ connectionString: env.DATABASE_URL });
    await observer.connect();
  });

  afterAll(async () => {
    await observer?.end();
    await app?.close();
    await cleanUp(env);
  });

  it('opens at most JRP_DB_POOL_SIZE connections; a fourth caller waits until one is released', async () => {
    const held: QueryRunner[] = [];
    for (let i = 0; i < 3; i += 1) {
      const runner = dataSource.createQueryRunner();
      // each runner tags its session, so the observer counts exactly these connections
      await runner.query(`SELECT set_config('application_name', $1, false)`, [application]);
      held.push(runner);
    }
    const sessions = async () =>
      Number(
        (
          await observer.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1`,
            [application],
          )
        ).rows[0].n,
      );
    expect(await sessions()).toBe(3);

    let answered = false;
    const fourth = dataSource.query('SELECT 1').then(() => {
      answered = true;
    });
    await new Promise((done) => setTimeout(done, 500));
    expect(answered).toBe(false);

    await held[0].release();
    await fourth;
    expect(answered).toBe(true);
    for (const runner of held.slice(1)) await runner.release();
  });
});
