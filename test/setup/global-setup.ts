import { provideTestDatabase, provideTestKafka } from '@jrp/testing';

const say = (line: string) => process.stdout.write(`[test setup] ${line}\n`);

/**
 * One PostgreSQL and one Kafka broker for the whole run: DATABASE_URL / KAFKA_BROKERS when set,
 * else an embedded PostgreSQL and the official Apache Kafka broker (tools/kafka-local).
 */
export default async function globalSetup(): Promise<void> {
  const [db, kafka] = await Promise.all([provideTestDatabase(say), provideTestKafka(say)]);
  process.env.DATABASE_URL = db.url;
  process.env.KAFKA_BROKERS = kafka.brokers;
  process.env.JRP_TEST_KAFKA_VERSION = kafka.version;
  (globalThis as { __jrpStop?: () => Promise<void> }).__jrpStop = async () => {
    await Promise.allSettled([kafka.stop(), db.stop()]);
  };
}
