import { ConfigurationError } from '@jrp/config';
import { provideTestDatabase, provideTestKafka } from '@jrp/testing';

const say = (line: string) => process.stdout.write(`[test setup] ${line}\n`);

/**
 * One PostgreSQL and one Kafka broker for the whole run: DATABASE_URL / KAFKA_BROKERS when set,
 * else an embedded PostgreSQL and the official Apache Kafka broker (tools/kafka-local).
 */
export default async function globalSetup(): Promise<void> {
  const [db, kafka] = await Promise.all([provideTestDatabase(say), provideTestKafka(say)]).catch((error: unknown) => {
    // what the user must fix (the embedded PostgreSQL cannot run here): its one line, not a stack trace
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
  process.env.DATABASE_URL = db.url;
  process.env.KAFKA_BROKERS = kafka.brokers;
  process.env.JRP_TEST_KAFKA_VERSION = kafka.version;
  (globalThis as { __jrpStop?: () => Promise<void> }).__jrpStop = async () => {
    await Promise.allSettled([kafka.stop(), db.stop()]);
  };
}
