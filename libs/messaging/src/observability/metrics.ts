import { Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How long a scrape waits for the figures read from databases and the broker. */
const COLLECT_TIMEOUT_MS = 3000;

/**
 * The Prometheus metrics of one process (`GET /metrics`), on a registry of its own. Counters are
 * incremented where the thing happens; gauges that describe stored state (outbox backlog, pending
 * dead letters, consumer lag) are read from the databases and the broker on each scrape, through the
 * collectors added with `onScrape`. Services and libraries may inc the counters directly.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private readonly collectors: { name: string; collect: () => Promise<void> }[] = [];

  readonly httpRequestDuration = new Histogram({
    name: 'jrp_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: 'jrp_events_published_total',
    help: 'events the outbox relay sent to the bus, by service and event type, counted after the relay committed (a relay crash between send and commit sends and counts a batch again)',
    labelNames: ['service', 'type'] as const,
    registers: [this.registry],
  });

  readonly eventsConsumed = new Counter({
    name: 'jrp_events_consumed_total',
    help: 'events a consumer group processed, by group and event type, counted after their transaction committed (redeliveries the inbox dropped are not counted)',
    labelNames: ['group', 'type'] as const,
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'jrp_dead_lettered_total',
    help: 'messages this process set aside as dead letters, by consumer group and topic',
    labelNames: ['group', 'topic'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveryFailures = new Counter({
    name: 'jrp_webhook_delivery_failures_total',
    help: 'failed webhook delivery attempts, by organisation and reason (http_4xx, http_5xx, gone, error)',
    labelNames: ['organization', 'reason'] as const,
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({
    name: 'jrp_outbox_backlog',
    help: 'outbox rows not sent to the bus yet, by service (read on scrape)',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  readonly outboxOldestAge = new Gauge({
    name: 'jrp_outbox_oldest_unsent_age_seconds',
    help: 'age of the oldest outbox row not sent yet, 0 when none, by service (read on scrape)',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  readonly deadLettersPending = new Gauge({
    name: 'jrp_dead_letters_pending',
    help: 'dead letters neither replayed nor discarded, by consumer group and topic (read on scrape)',
    labelNames: ['group', 'topic'] as const,
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: 'jrp_consumer_lag',
    help: 'Kafka messages behind the committed offset, by consumer group, topic and partition (read on scrape)',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly consumersReplaced = new Counter({
    name: 'jrp_consumers_replaced_total',
    help: 'Kafka consumers the bus replaced because they had stopped consuming, by consumer group and reason (crashed: kafkajs did not restart it; no-fetch: no fetch while the broker answered; no-progress: an assigned partition with lag did not move)',
    labelNames: ['group', 'reason'] as const,
    registers: [this.registry],
  });

  readonly collectFailures = new Counter({
    name: 'jrp_metrics_collect_failures_total',
    help: 'scrapes in which a figure could not be read (the gauge keeps its last value)',
    labelNames: ['collector'] as const,
    registers: [this.registry],
  });

  constructor() {
    // resident memory, heap, event-loop lag, GC, open handles …
    collectDefaultMetrics({ register: this.registry });
  }

  /** Work done before each scrape: reading a gauge's value from a database or the broker. */
  onScrape(name: string, collect: () => Promise<void>): void {
    this.collectors.push({ name, collect });
  }

  /** The Prometheus text exposition of every metric, the scrape-time gauges refreshed first. */
  async scrape(): Promise<string> {
    await Promise.all(
      this.collectors.map(async ({ name, collect }) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            collect(),
            new Promise(
              (_, reject) =>
                (timer = setTimeout(
                  () => reject(new Error(`timed out after ${COLLECT_TIMEOUT_MS} ms`)),
                  COLLECT_TIMEOUT_MS,
                )),
            ),
          ]);
        } catch (error) {
          this.collectFailures.inc({ collector: name });
          this.logger.warn(`metrics: ${name} not refreshed: ${(error as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
