import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalKafka } from '../../../tools/kafka-local';
import { processMatches } from './process-check';

const REGISTRY = join(tmpdir(), 'jrp-test-kafka.json');

/**
 * The test run's Kafka broker: `KAFKA_BROKERS` when set; otherwise the official Apache Kafka broker
 * started by tools/kafka-local (Java 17+ and Maven), one for the whole run. A broker that a killed run
 * left behind is stopped first.
 */
export async function provideTestKafka(
  log: (line: string) => void,
): Promise<{ brokers: string; version: string; stop: () => Promise<void> }> {
  if (process.env.KAFKA_BROKERS)
    return { brokers: process.env.KAFKA_BROKERS, version: 'external', stop: () => Promise.resolve() };
  if (existsSync(REGISTRY)) {
    for (const pid of JSON.parse(readFileSync(REGISTRY, 'utf8')) as number[]) {
      if (!processMatches(pid, 'kafka.Kafka')) continue;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  const started = Date.now();
  const kafka = await startLocalKafka({ log: (line) => line.startsWith('[kafka-local]') && log(line) });
  writeFileSync(REGISTRY, JSON.stringify([kafka.pid]));
  log(`Apache Kafka ${kafka.version} (KRaft, single node) on ${kafka.brokers}, ready in ${Date.now() - started} ms`);
  return {
    brokers: kafka.brokers,
    version: kafka.version,
    stop: async () => {
      await kafka.stop();
      writeFileSync(REGISTRY, '[]');
    },
  };
}
