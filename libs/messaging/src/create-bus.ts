import { JrpConfig } from '@jrp/config';
import { EventBus } from './bus/event-bus';
import { InProcessBus } from './in-process/in-process-bus';
import { KafkaBus } from './kafka/kafka-bus';

/** The bus a process's configuration asks for. */
export function createBus(config: JrpConfig): EventBus {
  if (config.bus === 'in-process') return new InProcessBus();
  return new KafkaBus({
    brokers: config.kafkaBrokers,
    clientId: `jrp-${config.service}`,
    prefix: config.topicPrefix,
    partitions: config.kafka.partitions,
    replicationFactor: config.kafka.replicationFactor,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    heartbeatIntervalMs: config.kafka.heartbeatIntervalMs,
    concurrency: 3,
  });
}
