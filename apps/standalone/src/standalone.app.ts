import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JrpConfig } from '@jrp/config';
import { configureHttpApp } from '@jrp/http';
import { connectConsumers, startMessaging } from '@jrp/messaging';
import { StandaloneModule } from './standalone.module';

/** Builds the one-process application and starts its messaging; the caller listens and closes. */
export async function createStandaloneApp(config: JrpConfig): Promise<INestApplication> {
  const app = await NestFactory.create(StandaloneModule.forRoot(config), { logger: config.logLevels });
  configureHttpApp(app, 'jrp 联合奖惩系统');
  connectConsumers(app);
  await app.init();
  await startMessaging(app);
  return app;
}
