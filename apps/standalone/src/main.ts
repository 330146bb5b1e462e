import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { ConfigurationError, resolveConfig } from '@jrp/config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '@jrp/database';
import { DemoSeeder } from '@jrp/measures/demo/demo-seeder';
import { createStandaloneApp } from './standalone.app';

async function main(): Promise<void> {
  const logger = new Logger('jrp');
  const config = resolveConfig(process.env, 'standalone');
  let postgres: EmbeddedPostgresHandle | undefined;
  if (!config.databaseUrl) {
    postgres = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'pg') });
    config.databaseUrl = postgres.url;
    logger.log(`embedded PostgreSQL on 127.0.0.1:${postgres.port}, data in ${join(config.dataDir, 'pg')}`);
  }
  const app = await createStandaloneApp(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    await app.close();
    await postgres?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (config.demoSeed) {
    const file = await app.get(DemoSeeder).seed();
    logger.log(`demo organisations and their tokens: ${file}`);
  }
  await app.listen(config.port);
  const base = `http://127.0.0.1:${config.port}`;
  logger.log(`jrp is serving ${base}/api/v1 — API docs at ${base}/api/docs, health at ${base}/health`);
}

main().catch((error) => {
  if (error instanceof ConfigurationError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
