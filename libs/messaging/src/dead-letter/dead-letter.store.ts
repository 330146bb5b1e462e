import { DataSource } from 'typeorm';
import { BusMessage, DeadLetterSink } from '../bus/event-bus';
import { DeadLettersRepository } from './dead-letters.repository';

/**
 * Dead letters of the in-process bus: a table in the consumer's own schema, for inspection and
 * replay. (On Kafka they go to the group's dead-letter topic instead.)
 */
export class DeadLetterTable implements DeadLetterSink {
  private readonly letters: DeadLettersRepository;

  constructor(dataSource: DataSource) {
    this.letters = new DeadLettersRepository(dataSource);
  }

  async add(
    consumer: string,
    message: BusMessage,
    eventId: string | undefined,
    error: Error,
    attempts: number,
  ): Promise<void> {
    await this.letters.add({
      consumer,
      topic: message.topic,
      key: message.key,
      eventId: eventId ?? null,
      value: message.value,
      error: `${error.name}: ${error.message}`.slice(0, 4000),
      attempts,
    });
  }
}
