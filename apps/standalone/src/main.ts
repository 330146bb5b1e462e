import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { resolveConfig } from '@jrp/config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '@jrp/database';
import { closeOnSignals, runMain } from '@jrp/http';
import { DemoSeeder } from '@jrp/measures/demo/demo-seeder';
import { createStandaloneApp } from './standalone.app';

runMain(async () => {
  const logger = new Logger('jrp');
  const config = resolveConfig(process.env, 'standalone');
  let postgres: EmbeddedPostgresHandle | undefined;
  if (!config.databaseUrl) {
    postgres = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'pg') });
    config.databaseUrl = postgres.url;
    logger.log(`embedded PostgreSQL on 127.0.0.1:${postgres.port}, data in ${join(config.dataDir, 'pg')}`);
  }
  const app = await createStandaloneApp(config);
  closeOnSignals(app, async () => {
    await postgres?.stop();
  });
  if (config.demoSeed) {
    const file = await app.get(DemoSeeder).seed();
    logger.log(`demo organisations and their tokens: ${file}`);
  }
  await app.listen(config.port);
  const base = `http://127.0.0.1:${config.port}`;
  logger.log(`jrp is serving ${base}/api/v1 — API docs at ${base}/api/docs, health at ${base}/health`);
});
