import { DataSource } from 'typeorm';
import { BusMessage } from '../bus/event-bus';

/** Where a consumer sets aside what it cannot process, in its own schema, for inspection and replay. */
export class DeadLetterStore {
  constructor(private readonly dataSource: DataSource) {}

  async add(consumer: string, message: BusMessage, eventId: string | undefined, error: Error, attempts: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO dead_letters (consumer, topic, key, event_id, value, error, attempts) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [consumer, message.topic, message.key, eventId ?? null, message.value, `${error.name}: ${error.message}`.slice(0, 4000), attempts],
    );
  }

  async pending(consumer?: string): Promise<{ id: string; consumer: string; topic: string; key: string; eventId: string | null; error: string; attempts: number; value: string }[]> {
    return this.dataSource.query(
      `SELECT id, consumer, topic, key, event_id AS "eventId", error, attempts, value FROM dead_letters
       WHERE status = 'pending' AND ($1::text IS NULL OR consumer = $1) ORDER BY id`,
      [consumer ?? null],
    );
  }
}
