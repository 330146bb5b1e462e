import { INestApplication } from '@nestjs/common';
import { createStandaloneApp } from '../../apps/standalone/src/standalone.app';
import { ApiClient, cleanUp, SchemaProbe, testConfig, testEnvironment, uniquePrefix, waitFor } from '@jrp/testing';

export interface StandaloneSuite {
  env: NodeJS.ProcessEnv;
  app: INestApplication;
  api: ApiClient;
  lists: SchemaProbe;
  measures: SchemaProbe;
  feedback: SchemaProbe;
  /** Stops the process's application and starts it again on the same database and broker. */
  restart(): Promise<void>;
}

/**
 * A suite's own one-process deployment: its schemas on the run's database, started before the suite's
 * tests (once list-ingestion knows the catalogue) and dropped after them. Use the returned object's
 * fields inside tests.
 */
export function useStandalone(name: string, extraEnv: NodeJS.ProcessEnv = {}): StandaloneSuite {
  const env = testEnvironment(uniquePrefix(name), extraEnv);
  const schema = (s: string) => new SchemaProbe(env.DATABASE_URL!, `${env.JRP_DB_SCHEMA_PREFIX}${s}`);
  const suite = {
    env,
    lists: schema('list_ingestion'),
    measures: schema('measures'),
    feedback: schema('feedback'),
  } as StandaloneSuite;
  suite.restart = async () => {
    await suite.app.close();
    suite.app = await createStandaloneApp(testConfig(env));
    suite.api = new ApiClient(suite.app, env.JRP_ADMIN_TOKEN!);
  };
  beforeAll(async () => {
    suite.app = await createStandaloneApp(testConfig(env));
    suite.api = new ApiClient(suite.app, env.JRP_ADMIN_TOKEN!);
    await waitFor(
      'list types known to list-ingestion',
      async () => (await suite.lists.count('SELECT * FROM known_list_types')) > 0,
    );
  });
  afterAll(async () => {
    await suite.app?.close();
    await cleanUp(env);
  });
  return suite;
}
