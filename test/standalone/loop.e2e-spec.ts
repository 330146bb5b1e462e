import { INestApplication } from '@nestjs/common';
import { createStandaloneApp } from '../../apps/standalone/src/standalone.app';
import { EventBus } from '@jrp/messaging';
import {
  ApiClient,
  cleanUp,
  personalDataOf,
  SchemaProbe,
  testConfig,
  testEnvironment,
  uniquePrefix,
  waitFor,
} from '@jrp/testing';
import { LoopWorld, loopScenario } from '../scenarios/loop.scenario';

/** The loop on the one-process deployment: real PostgreSQL, in-process bus. */
describe('the loop, standalone on the in-process bus', () => {
  const env = testEnvironment(uniquePrefix('loop'));
  const schema = (s: string) => new SchemaProbe(env.DATABASE_URL!, `${env.JRP_DB_SCHEMA_PREFIX}${s}`);
  let app: INestApplication;
  let world: LoopWorld;

  beforeAll(async () => {
    app = await createStandaloneApp(testConfig(env));
    const measures = schema('measures');
    world = {
      api: new ApiClient(app, env.JRP_ADMIN_TOKEN!),
      lists: schema('list_ingestion'),
      measures,
      feedback: schema('feedback'),
      subjectKey: (kind, id) => personalDataOf(env).subjectKey(kind, id),
      deliver: (messages) => app.get(EventBus).publish(messages),
      deadLetterIds: async () =>
        (await measures.query<{ event_id: string }>('SELECT event_id FROM dead_letters')).map((r) => r.event_id),
    };
    await waitFor(
      'list types known to list-ingestion',
      async () => (await world.lists.count('SELECT * FROM known_list_types')) > 0,
    );
  });

  afterAll(async () => {
    await app?.close();
    await cleanUp(env);
  });

  it('serves /health with the databases and the bus', async () => {
    const res = await world.api.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({
      'database:measures': 'up',
      'database:list-ingestion': 'up',
      'database:feedback': 'up',
      'bus:in-process': 'up',
    });
  });

  loopScenario(() => world);
});
