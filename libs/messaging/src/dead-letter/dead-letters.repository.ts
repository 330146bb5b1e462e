import type { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

export type DeadLetterStatus = 'pending' | 'replayed' | 'discarded';

/** A row of `dead_letters`: a message the in-process bus's consumer set aside, in the group's schema. */
export interface DeadLetterRow {
  id: string;
  consumer: string;
  topic: string;
  key: string;
  eventId: string | null;
  value: string;
  error: string;
  attempts: number;
  status: DeadLetterStatus;
  reason: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

export const deadLetters = new Table<DeadLetterRow>('dead_letters', {
  id: { column: 'id', generated: true },
  consumer: 'consumer',
  topic: 'topic',
  key: 'key',
  eventId: 'event_id',
  value: 'value',
  error: 'error',
  attempts: 'attempts',
  status: 'status',
  reason: 'reason',
  createdAt: { column: 'created_at', generated: true },
  resolvedAt: 'resolved_at',
});

/** What a consumer writes when it sets a message aside (the rest is pending, now). */
export type NewDeadLetter = Pick<
  DeadLetterRow,
  'consumer' | 'topic' | 'key' | 'eventId' | 'value' | 'error' | 'attempts'
>;

const NEW_LETTER_COLUMNS = ['consumer', 'topic', 'key', 'eventId', 'value', 'error', 'attempts'] as const;

/** A row of `dead_letter_resolutions`: what became of one message of a Kafka dead-letter topic. */
export interface DeadLetterResolutionRow {
  dlqTopic: string;
  partition: number;
  offset: string;
  eventId: string | null;
  status: Exclude<DeadLetterStatus, 'pending'>;
  reason: string | null;
  resolvedAt: Date;
}

export const deadLetterResolutions = new Table<DeadLetterResolutionRow>('dead_letter_resolutions', {
  dlqTopic: 'dlq_topic',
  partition: 'partition',
  // a bigint, read as text so no offset loses precision
  offset: { column: '"offset"', read: '$::text' },
  eventId: 'event_id',
  status: 'status',
  reason: 'reason',
  resolvedAt: { column: 'resolved_at', generated: true },
});

/** One consumer group's dead letters on the in-process bus (`dead_letters` in its schema). */
export class DeadLettersRepository extends DatabaseRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  async add(letter: NewDeadLetter): Promise<void> {
    await this.insertRows(deadLetters, [letter as DeadLetterRow], { columns: NEW_LETTER_COLUMNS });
  }

  /** The group's letters, oldest first: pending ones, or every one with `includeResolved`. */
  list(
    consumer: string,
    filter: { topic?: string; eventId?: string; includeResolved?: boolean },
  ): Promise<Omit<DeadLetterRow, 'consumer' | 'resolvedAt'>[]> {
    return this.query<Omit<DeadLetterRow, 'consumer' | 'resolvedAt'>[]>(
      `SELECT ${deadLetters.selectList(undefined, ['id', 'topic', 'key', 'eventId', 'value', 'error', 'attempts', 'status', 'reason', 'createdAt'])}
       FROM ${deadLetters.name}
       WHERE consumer = $1 AND ($2::text IS NULL OR topic = $2) AND ($3::text IS NULL OR event_id = $3) AND (status = 'pending' OR $4)
       ORDER BY id`,
      [consumer, filter.topic ?? null, filter.eventId ?? null, filter.includeResolved === true],
    );
  }

  /** Marks a pending letter replayed or discarded; false when it is no longer pending. */
  async resolve(id: string, status: 'replayed' | 'discarded', reason: string | null): Promise<boolean> {
    const updated = await this.query<unknown[]>(
      `UPDATE ${deadLetters.name} SET status = $2, reason = $3, resolved_at = now()
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, status, reason],
    );
    // TypeORM returns [rows, count] for UPDATE … RETURNING
    const rows = Array.isArray(updated[0]) ? (updated[0] as unknown[]) : updated;
    return rows.length > 0;
  }

  /** Pending letters of the group per topic. */
  pendingCounts(consumer: string): Promise<{ topic: string; n: number }[]> {
    return this.query<{ topic: string; n: number }[]>(
      `SELECT topic, count(*)::int AS n FROM ${deadLetters.name} WHERE consumer = $1 AND status = 'pending' GROUP BY topic`,
      [consumer],
    );
  }
}

/** One consumer group's record of what became of its Kafka dead letters (`dead_letter_resolutions`). */
export class DeadLetterResolutionsRepository extends DatabaseRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /** The resolutions recorded for messages of these dead-letter topics. */
  ofTopics(dlqTopics: readonly string[]): Promise<Omit<DeadLetterResolutionRow, 'eventId' | 'resolvedAt'>[]> {
    return this.query<Omit<DeadLetterResolutionRow, 'eventId' | 'resolvedAt'>[]>(
      `SELECT ${deadLetterResolutions.selectList(undefined, ['dlqTopic', 'partition', 'offset', 'status', 'reason'])}
       FROM ${deadLetterResolutions.name} WHERE dlq_topic = ANY($1)`,
      [dlqTopics],
    );
  }

  /** Resolutions of messages still in the topic: at or above each partition's low watermark. */
  async countInTopic(dlqTopic: string, lows: readonly { partition: number; low: string }[]): Promise<number> {
    const [{ n }] = await this.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${deadLetterResolutions.name} r
       JOIN unnest($2::int[], $3::bigint[]) AS w(partition, low) ON w.partition = r.partition AND r."offset" >= w.low
       WHERE r.dlq_topic = $1`,
      [dlqTopic, lows.map((o) => o.partition), lows.map((o) => o.low)],
    );
    return n;
  }

  /** Records what became of a message; false when it was resolved already. */
  async record(resolution: Omit<DeadLetterResolutionRow, 'resolvedAt'>): Promise<boolean> {
    const inserted = await this.insertRows<DeadLetterResolutionRow, Pick<DeadLetterResolutionRow, 'dlqTopic'>>(
      deadLetterResolutions,
      [resolution as DeadLetterResolutionRow],
      { onConflict: 'DO NOTHING', returning: deadLetterResolutions.column('dlqTopic') },
    );
    return inserted.length > 0;
  }
}
