import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { resolveConfig } from '@jrp/config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '@jrp/database';
import { closeOnSignals, listenAndAnnounce, runMain } from '@jrp/http';
import { DemoSeeder } from '@jrp/measures/demo/demo-seeder';
import { createStandaloneApp } from './standalone.app';

runMain(async () => {
  const logger = new Logger('jrp');
  const config = resolveConfig(process.env, 'standalone');
  let postgres: EmbeddedPostgresHandle | undefined;
  if (!config.databaseUrl) {
    postgres = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'pg'), log: (line) => logger.log(line) });
    config.databaseUrl = postgres.url;
    logger.log(`embedded PostgreSQL on 127.0.0.1:${postgres.port}, data in ${postgres.dataDir}`);
  }
  const app = await createStandaloneApp(config);
  closeOnSignals(app, async () => {
    await postgres?.stop();
  });
  if (config.demoSeed) {
    const file = await app.get(DemoSeeder).seed();
    logger.log(`demo organisations and their tokens: ${file}`);
  }
  await listenAndAnnounce(app, config.port, {
    name: 'jrp',
    dashboard: true,
    detail: '(one process: lists, measures and feedback)',
  });
});
