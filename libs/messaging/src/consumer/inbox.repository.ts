import type { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

/** A row of `inbox`: an event a consumer group has processed, kept so a redelivery changes nothing. */
export interface InboxRow {
  consumer: string;
  eventId: string;
  processedAt: Date;
}

export const inbox = new Table<InboxRow>('inbox', {
  consumer: 'consumer',
  eventId: 'event_id',
  processedAt: { column: 'processed_at', generated: true },
});

/**
 * A consumer group's inbox. Claiming an event inserts its row in the transaction that applies it: the
 * claim commits with the effects, and a redelivered event finds its row and is skipped.
 */
export class InboxRepository extends DatabaseRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** Claims the events not processed yet (one statement for the batch); returns the ids claimed now. */
  async claim(consumer: string, eventIds: readonly string[]): Promise<string[]> {
    const claimed = await this.query<Pick<InboxRow, 'eventId'>[]>(
      `INSERT INTO ${inbox.name} (${inbox.columnList()}) SELECT $1, unnest($2::text[])
       ON CONFLICT DO NOTHING RETURNING ${inbox.selectList(undefined, ['eventId'])}`,
      [consumer, eventIds],
    );
    return claimed.map((row) => row.eventId);
  }

  /** Claims one event; false when it was processed already. */
  async claimOne(consumer: string, eventId: string): Promise<boolean> {
    const claimed = await this.insertRows<InboxRow, Pick<InboxRow, 'eventId'>>(
      inbox,
      [{ consumer, eventId } as InboxRow],
      { onConflict: 'DO NOTHING', returning: inbox.column('eventId') },
    );
    return claimed.length > 0;
  }
}
