import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeadLetterSink, EventBus } from './bus/event-bus';
import { EventConsumerServer, RetryPolicy } from './consumer/event-consumer.server';
import { InProcessBus } from './in-process/in-process-bus';
import { OutboxRelay, RelayOptions } from './outbox/outbox-relay';
import { OutboxService } from './outbox/outbox.service';
import { UnitOfWork } from './outbox/unit-of-work';

/** Every service's relay and consumer server in this process, so the entry point can start them in order. */
@Injectable()
export class MessagingRegistry implements BeforeApplicationShutdown {
  readonly relays: OutboxRelay[] = [];
  readonly consumers: EventConsumerServer[] = [];
  /** Each service's unit of work, for process-level reports that need an outbox (token usage). */
  readonly units: UnitOfWork[] = [];

  /** Relays stop before the consumer servers close, so nothing is sent to a group that left. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.relays.map((r) => r.stop()));
  }
}

/** Stops the bus last, once the consumer servers have closed. */
@Injectable()
class BusLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EventBus) private readonly bus: EventBus) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.stop();
  }
}

/** The process-wide event bus, started (connected, topics created) before anything uses it. */
@Global()
@Module({})
export class BusModule {
  static forRoot(bus: EventBus = new InProcessBus()): DynamicModule {
    return {
      module: BusModule,
      providers: [
        {
          provide: EventBus,
          useFactory: async () => {
            await bus.start();
            return bus;
          },
        },
        BusLifecycle,
        MessagingRegistry,
      ],
      exports: [EventBus, MessagingRegistry],
    };
  }
}

export interface ServiceMessagingOptions {
  /** The service's name: the CloudEvents `source` and its consumer group. */
  service: string;
  /** The name of the service's TypeORM data source. */
  dataSource: string;
  retry?: Partial<RetryPolicy>;
  relay?: Partial<RelayOptions>;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMillis: 100, maxMillis: 5000 };
const DEFAULT_RELAY: RelayOptions = { batchSize: 500, idleMillis: 250, errorBackoffMillis: 1000 };

/**
 * One service's messaging: its outbox (UnitOfWork), relay and consumer server, all bound to the
 * service's own data source. Import once per service module.
 */
@Module({})
export class MessagingModule {
  static forService(options: ServiceMessagingOptions): DynamicModule {
    const dataSourceToken = getDataSourceToken(options.dataSource);
    return {
      module: MessagingModule,
      providers: [
        { provide: OutboxService, useFactory: () => new OutboxService(`/jrp/${options.service}`) },
        {
          provide: UnitOfWork,
          inject: [dataSourceToken, OutboxService, MessagingRegistry],
          useFactory: (ds: DataSource, outbox: OutboxService, registry: MessagingRegistry) => {
            const unit = new UnitOfWork(ds, outbox);
            registry.units.push(unit);
            return unit;
          },
        },
        {
          provide: OutboxRelay,
          inject: [dataSourceToken, OutboxService, EventBus, MessagingRegistry],
          useFactory: (ds: DataSource, outbox: OutboxService, bus: EventBus, registry: MessagingRegistry) => {
            const relay = new OutboxRelay(options.service, ds, outbox, bus, { ...DEFAULT_RELAY, ...options.relay });
            registry.relays.push(relay);
            return relay;
          },
        },
        {
          provide: EventConsumerServer,
          inject: [dataSourceToken, OutboxService, EventBus, MessagingRegistry],
          useFactory: (ds: DataSource, outbox: OutboxService, bus: EventBus, registry: MessagingRegistry) => {
            const dead: DeadLetterSink = bus.deadLetterSink(ds);
            const server = new EventConsumerServer(options.service, ds, outbox, bus, dead, { ...DEFAULT_RETRY, ...options.retry });
            registry.consumers.push(server);
            return server;
          },
        },
      ],
      exports: [UnitOfWork, OutboxService, OutboxRelay, EventConsumerServer],
    };
  }
}

export const InjectBus = () => Inject(EventBus);
