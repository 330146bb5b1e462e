import type { DataSource } from 'typeorm';
import { inTransaction } from '@jrp/database';
import { OutboxRepository } from '../outbox/outbox.repository';
import { DeadLettersRepository, DeadLetterStatus } from './dead-letters.repository';

export type { DeadLetterStatus } from './dead-letters.repository';

/** A message a consumer group set aside, wherever the bus keeps it. */
export interface DeadLetter {
  /** Where it is kept: `dead_letters#<id>` (in-process) or `<dlq topic>/<partition>/<offset>` (Kafka). */
  ref: string;
  group: string;
  /** The topic it was read from (logical name, without JRP_TOPIC_PREFIX). */
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  eventId?: string;
  type?: string;
  error: string;
  attempts: number;
  firstSeen: Date;
  status: DeadLetterStatus;
  reason?: string;
}

export interface DeadLetterFilter {
  group?: string;
  topic?: string;
  eventId?: string;
  /** Include the letters already replayed or discarded. */
  includeResolved?: boolean;
}

/**
 * The dead letters of some consumer groups: listed, replayed (the original message goes back to its
 * topic, so the group processes it once; the inbox drops it where it was processed already) or
 * discarded with a reason. Either way a letter stops being pending.
 */
export interface DeadLetterStore {
  list(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  replay(letter: DeadLetter): Promise<void>;
  discard(letter: DeadLetter, reason: string): Promise<void>;
  /** Pending letters per group and topic (for metrics). */
  pendingCounts(): Promise<{ group: string; topic: string; count: number }[]>;
}

/** Each consumer group's data source: where its letters (in-process) or their resolutions (Kafka) are kept. */
export type GroupDataSources = ReadonlyMap<string, DataSource>;

/** The CloudEvents id and type of a message, when it has them (structured or binary mode). */
export function eventAttributesOf(value: string, headers: Record<string, string>): { id?: string; type?: string } {
  if (headers.ce_id) return { id: headers.ce_id, type: headers.ce_type };
  try {
    const parsed = JSON.parse(value) as { id?: unknown; type?: unknown };
    return {
      id: typeof parsed?.id === 'string' ? parsed.id : undefined,
      type: typeof parsed?.type === 'string' ? parsed.type : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * The in-process bus's dead letters: rows of `dead_letters` in each group's schema. Replaying puts the
 * event back into the group's own outbox (its row again pending when the event was this service's,
 * a new row otherwise), in the transaction that marks the letter replayed: the service's relay sends it
 * to every group reading the topic, whose inboxes drop it where it was processed already.
 */
export class TableDeadLetters implements DeadLetterStore {
  private readonly stores = new Map<
    string,
    { dataSource: DataSource; letters: DeadLettersRepository; outbox: OutboxRepository }
  >();

  constructor(groups: GroupDataSources) {
    for (const [group, dataSource] of groups) {
      this.stores.set(group, {
        dataSource,
        letters: new DeadLettersRepository(dataSource),
        outbox: new OutboxRepository(dataSource),
      });
    }
  }

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const [group, { letters }] of this.stores) {
      if (filter.group && filter.group !== group) continue;
      for (const r of await letters.list(group, filter)) {
        out.push({
          ref: `dead_letters#${r.id}`,
          group,
          topic: r.topic,
          key: r.key,
          value: r.value,
          headers: {},
          eventId: r.eventId ?? undefined,
          type: eventAttributesOf(r.value, {}).type,
          error: r.error,
          attempts: r.attempts,
          firstSeen: new Date(r.createdAt),
          status: r.status,
          reason: r.reason ?? undefined,
        });
      }
    }
    return out;
  }

  async replay(letter: DeadLetter): Promise<void> {
    let envelope: { id?: unknown; type?: unknown };
    try {
      envelope = JSON.parse(letter.value) as { id?: unknown; type?: unknown };
    } catch {
      throw new Error(`${letter.ref} is not JSON: it can only be discarded`);
    }
    const { id, type } = envelope ?? {};
    if (typeof id !== 'string' || typeof type !== 'string')
      throw new Error(`${letter.ref} is not a CloudEvent with an id and a type: it can only be discarded`);
    const store = this.store(letter);
    await inTransaction(store.dataSource, async () => {
      await this.resolve(letter, 'replayed', null);
      if (!(await store.outbox.requeue(id))) {
        await store.outbox.insertNew({
          eventId: id,
          topic: letter.topic,
          key: letter.key,
          type,
          envelope: letter.value,
        });
      }
    });
  }

  async discard(letter: DeadLetter, reason: string): Promise<void> {
    await inTransaction(this.store(letter).dataSource, () => this.resolve(letter, 'discarded', reason));
  }

  async pendingCounts(): Promise<{ group: string; topic: string; count: number }[]> {
    const out: { group: string; topic: string; count: number }[] = [];
    for (const [group, { letters }] of this.stores) {
      const rows = await letters.pendingCounts(group);
      out.push(...rows.map((r) => ({ group, topic: r.topic, count: r.n })));
    }
    return out;
  }

  private store(letter: DeadLetter) {
    const store = this.stores.get(letter.group);
    if (!store) throw new Error(`no data source for consumer group ${letter.group}`);
    return store;
  }

  private async resolve(letter: DeadLetter, status: 'replayed' | 'discarded', reason: string | null): Promise<void> {
    const id = letter.ref.replace(/^dead_letters#/, '');
    if (!(await this.store(letter).letters.resolve(id, status, reason))) {
      throw new Error(`${letter.ref} is no longer pending`);
    }
  }
}
