import { DataSource } from 'typeorm';
import { BusMessage, DeadLetterSink } from '../bus/event-bus';

/**
 * Dead letters of the in-process bus: a table in the consumer's own schema, for inspection and
 * replay. (On Kafka they go to the group's dead-letter topic instead.)
 */
export class DeadLetterTable implements DeadLetterSink {
  constructor(private readonly dataSource: DataSource) {}

  async add(
    consumer: string,
    message: BusMessage,
    eventId: string | undefined,
    error: Error,
    attempts: number,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO dead_letters (consumer, topic, key, event_id, value, error, attempts) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        consumer,
        message.topic,
        message.key,
        eventId ?? null,
        message.value,
        `${error.name}: ${error.message}`.slice(0, 4000),
        attempts,
      ],
    );
  }
}
