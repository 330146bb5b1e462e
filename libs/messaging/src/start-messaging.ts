import { INestApplication } from '@nestjs/common';
import { MessagingRegistry } from './messaging.module';

/** Connects each service's consumer server to the application. Call before `app.init()`. */
export function connectConsumers(app: INestApplication): void {
  for (const strategy of app.get(MessagingRegistry).consumers) {
    app.connectMicroservice({ strategy }, { inheritAppConfig: false });
  }
}

/**
 * Starts messaging in the right order, after `app.init()`: every consumer group subscribes first,
 * then the relays start sending, so no event is published before the groups of this process listen.
 */
export async function startMessaging(app: INestApplication): Promise<void> {
  const registry = app.get(MessagingRegistry);
  await app.startAllMicroservices();
  for (const relay of registry.relays) relay.start();
}
