import { DynamicModule, INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { Module } from '@nestjs/common';
import { ConfigurationError, JrpConfig, loadEnvFile } from '@jrp/config';
import { connectConsumers, startMessaging } from '@jrp/messaging';
import { boundRequestTimes, configureHttpApp } from './http-app';
import { RedactingLogger } from './redacting-logger';
import { PlatformModule } from './platform.module';
import { ShutdownState } from './shutdown-state';

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
  const logger = new RedactingLogger(undefined, { format: config.logFormat, service: config.service });
  logger.setLogLevels(config.logLevels);
  const app = await NestFactory.create(root, { logger, bodyParser: false });
  configureHttpApp(app, process.title);
  connectConsumers(app);
  await app.init();
  boundRequestTimes(app.getHttpServer() as Server);
  await startMessaging(app);
  return app;
}

/** How long in-flight requests (and streams) have to finish after SIGTERM before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 20000;
/** After this, a shutdown that has not finished exits with status 1 (the platform would SIGKILL soon anyway). */
export const SHUTDOWN_TIMEOUT_MS = 28000;

/**
 * On SIGINT/SIGTERM: stops taking connections at once; in-flight requests finish (long polls and
 * streams end; whatever still holds a connection after SHUTDOWN_GRACE_MS is cut); each outbox relay
 * finishes its current round and stops; each consumer finishes its in-flight batch, whose offsets are
 * committed only after its transaction, and leaves its group; then the bus and the databases close,
 * `after` runs, and the process exits 0. A shutdown that fails or outlasts SHUTDOWN_TIMEOUT_MS exits 1:
 * what was not committed is delivered again after the restart, and the inboxes drop what was.
 */
export function closeOnSignals(app: INestApplication, after: () => Promise<void> = () => Promise.resolve()): void {
  const logger = new Logger('jrp');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ShutdownState.stopping = true;
    const started = Date.now();
    logger.log(`${signal}: shutting down; in-flight requests and events finish first`);
    const server = app.getHttpServer() as Server;
    server.close(); // no new connections; Nest waits for the open ones in app.close()
    server.closeIdleConnections();
    const cut = setTimeout(() => {
      logger.warn(`connections still open after ${SHUTDOWN_GRACE_MS} ms: closing them`);
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    cut.unref();
    const watchdog = setTimeout(() => {
      logger.error(`shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms: exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    watchdog.unref();
    let code = 0;
    try {
      await app.close();
      await after();
      logger.log(`stopped in ${Date.now() - started} ms`);
    } catch (error) {
      code = 1;
      logger.error(`shutdown failed: ${(error as Error | undefined)?.stack ?? String(error)}`);
    } finally {
      process.exit(code);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * Runs a `main` of an entry point: loads `.env` from the working folder first (variables already set
 * keep their values), and turns a configuration error into its one-line message and exit code 1.
 */
export function runMain(main: () => Promise<void>): void {
  Promise.resolve()
    .then(() => {
      loadEnvFile();
      return main();
    })
    .catch((error: unknown) => {
      // a configuration error is one the user fixes: its message alone says what to do
      console.error(error instanceof ConfigurationError ? error.message : error);
      process.exit(1);
    });
}
