import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { connectConsumers, startMessaging } from '@jrp/messaging';
import { boundRequestTimes, configureHttpApp } from './http-app';
import { RedactingLogger } from './redacting-logger';
import { PlatformModule } from './platform.module';

export interface JrpProcess {
  title: string;
  /** The data sources (one per service module) that `/health` checks. */
  dataSources: string[];
  modules: (Type | DynamicModule)[];
}

@Module({})
class JrpRootModule {}

/**
 * Builds a jrp process from service modules: the platform (config, bus, auth, health), the HTTP
 * conventions, the consumer servers; then starts messaging. The caller listens and closes.
 */
export async function createJrpApp(config: JrpConfig, process: JrpProcess): Promise<INestApplication> {
  const root: DynamicModule = {
    module: JrpRootModule,
    imports: [PlatformModule.forRoot(config, { dataSources: process.dataSources }), ...process.modules],
  };
  const logger = new RedactingLogger();
  logger.setLogLevels(config.logLevels);
  const app = await NestFactory.create(root, { logger, bodyParser: false });
  configureHttpApp(app, process.title);
  connectConsumers(app);
  await app.init();
  boundRequestTimes(app.getHttpServer());
  await startMessaging(app);
  return app;
}

/** Closes the app on SIGINT/SIGTERM (in-flight work finishes, consumers leave their groups), then `after`. */
export function closeOnSignals(app: INestApplication, after: () => Promise<void> = async () => undefined): void {
  const logger = new Logger('jrp');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    try {
      await app.close();
      await after();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Runs a `main` and turns a configuration error into its message and exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error?.name === 'ConfigurationError' ? error.message : error);
    process.exit(1);
  });
}
