import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { resolveConfig } from '@jrp/config';
import { EmbeddedPostgresHandle } from '@jrp/database';
import { closeOnSignals, listenAndAnnounce, runMain } from '@jrp/http';
import { DemoSeeder } from '@jrp/measures/demo/demo-seeder';
import { startEmbeddedDatabase } from './embedded-database';
import { createStandaloneApp } from './standalone.app';

runMain(async () => {
  const logger = new Logger('jrp');
  const config = resolveConfig(process.env, 'standalone');
  let postgres: EmbeddedPostgresHandle | undefined;
  if (!config.databaseUrl) {
    const embedded = await startEmbeddedDatabase(config, (line) => logger.log(line));
    postgres = embedded.postgres;
    // migrated by its owner: the services connect as their own role, which may only use the rows
    config.databaseUrl = embedded.servicesUrl;
    config.migrate = false;
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
