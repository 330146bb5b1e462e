import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeadLetterSink, EventBus } from './bus/event-bus';
import { EventConsumerServer, RetryPolicy } from './consumer/event-consumer.server';
import { InProcessBus } from './in-process/in-process-bus';
import { Metrics } from './observability/metrics';
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

/**
 * The messaging figures read on each scrape: every service's outbox backlog, every group's pending
 * dead letters and, on Kafka, consumer lag; and the count of stalled consumers the bus replaced.
 */
@Injectable()
class MessagingMetrics implements OnApplicationBootstrap {
  constructor(
    @Inject(EventBus) private readonly bus: EventBus,
    private readonly registry: MessagingRegistry,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    const { metrics, registry, bus } = this;
    metrics.onScrape('outbox', async () => {
      for (const relay of registry.relays) {
        const { count, oldestAgeSeconds } = await relay.backlogStats();
        metrics.outboxBacklog.set({ service: relay.service }, count);
        metrics.outboxOldestAge.set({ service: relay.service }, oldestAgeSeconds);
      }
    });
    metrics.onScrape('dead-letters', async () => {
      const counts = await bus
        .deadLetters(new Map(registry.consumers.map((c) => [c.group, c.dataSource])))
        .pendingCounts();
      metrics.deadLettersPending.reset();
      for (const server of registry.consumers)
        for (const topic of server.topics()) metrics.deadLettersPending.set({ group: server.group, topic }, 0);
      for (const { group, topic, count } of counts) metrics.deadLettersPending.set({ group, topic }, count);
    });
    bus.onConsumerReplaced(({ group, reason }) => metrics.consumersReplaced.inc({ group, reason }));
    if (bus.name === 'kafka') {
      metrics.onScrape('consumer-lag', async () => {
        const lag = await bus.consumerLag();
        metrics.consumerLag.reset();
        for (const l of lag)
          metrics.consumerLag.set({ group: l.group, topic: l.topic, partition: String(l.partition) }, l.lag);
      });
    }
  }
}

/** The process-wide event bus, started (connected, topics created) before anything uses it, and the process's metrics. */
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
        { provide: Metrics, useFactory: () => new Metrics() },
        BusLifecycle,
        MessagingRegistry,
        MessagingMetrics,
      ],
      exports: [EventBus, MessagingRegistry, Metrics],
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
const DEFAULT_RELAY: RelayOptions = { batchSize: 500, idleMillis: 250, errorBackoffMillis: 1000, vacuumEvery: 10_000 };

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
        {
          provide: OutboxService,
          inject: [dataSourceToken],
          useFactory: (ds: DataSource) => new OutboxService(`/jrp/${options.service}`, ds),
        },
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
          inject: [dataSourceToken, OutboxService, EventBus, MessagingRegistry, Metrics],
          useFactory: (
            ds: DataSource,
            outbox: OutboxService,
            bus: EventBus,
            registry: MessagingRegistry,
            metrics: Metrics,
          ) => {
            const relay = new OutboxRelay(
              options.service,
              ds,
              outbox,
              bus,
              { ...DEFAULT_RELAY, ...options.relay },
              metrics,
            );
            registry.relays.push(relay);
            return relay;
          },
        },
        {
          provide: EventConsumerServer,
          inject: [dataSourceToken, OutboxService, EventBus, MessagingRegistry, Metrics],
          useFactory: (
            ds: DataSource,
            outbox: OutboxService,
            bus: EventBus,
            registry: MessagingRegistry,
            metrics: Metrics,
          ) => {
            const dead: DeadLetterSink = bus.deadLetterSink(ds);
            const server = new EventConsumerServer(
              options.service,
              ds,
              outbox,
              bus,
              dead,
              { ...DEFAULT_RETRY, ...options.retry },
              metrics,
            );
            registry.consumers.push(server);
            return server;
          },
        },
      ],
      exports: [UnitOfWork, OutboxService, OutboxRelay, EventConsumerServer],
    };
  }

  /**
   * Only a service's outbox, for a command-line tool writing as that service: its writes and their
   * events commit together and wait in the outbox, which the running service's relay sends. No bus,
   * relay or consumer server, so the tool connects to nothing but the database.
   */
  static outboxOnly(options: Pick<ServiceMessagingOptions, 'service' | 'dataSource'>): DynamicModule {
    const dataSourceToken = getDataSourceToken(options.dataSource);
    return {
      module: MessagingModule,
      providers: [
        {
          provide: OutboxService,
          inject: [dataSourceToken],
          useFactory: (ds: DataSource) => new OutboxService(`/jrp/${options.service}`, ds),
        },
        {
          provide: UnitOfWork,
          inject: [dataSourceToken, OutboxService],
          useFactory: (dataSource: DataSource, outbox: OutboxService) => new UnitOfWork(dataSource, outbox),
        },
      ],
      exports: [UnitOfWork, OutboxService],
    };
  }
}

export const InjectBus = () => Inject(EventBus);
