import {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterStore,
  eventAttributesOf,
  GroupDataSources,
} from '../dead-letter/dead-letters';
import type { BusMessage } from '../bus/event-bus';
import { DeadLetterResolutionRow, DeadLetterResolutionsRepository } from '../dead-letter/dead-letters.repository';

/** A message read back from a topic, with where it sits. */
export type StoredMessage = BusMessage & {
  partition: number;
  offset: string;
  /** ms since the epoch, as text */ timestamp: string;
};

/** What the dead letters need of the Kafka bus (KafkaBus implements it; this file does not import the bus). */
export interface DeadLetterTopicAccess {
  readTopics(logicals: string[]): Promise<StoredMessage[]>;
  publish(messages: BusMessage[]): Promise<void>;
  topicOffsets(logical: string): Promise<{ partition: number; low: string; high: string }[]>;
  deadLetterTopics(): Promise<{ name: string; group: string; topic: string }[]>;
}

/** The headers the dead-letter sink adds; a replay sends the original message without them. */
const SINK_HEADERS = ['jrp-error', 'jrp-attempts', 'jrp-group', 'jrp-original-topic', 'jrp-event-id'];

type Resolution = Omit<DeadLetterResolutionRow, 'eventId' | 'resolvedAt'>;

/**
 * Kafka's dead letters: the messages of the dead-letter topics `<topic>.dlq.<group>`, read from the
 * beginning (they are kept forever). A topic's messages cannot be changed, so what became of each one
 * is recorded in the group's own schema (`dead_letter_resolutions`, keyed by topic, partition and
 * offset); a message without such a row is pending. Replaying sends the original message (key, value,
 * headers, so the same event id) back to its topic, then records it: a crash in between leaves it
 * pending, and replaying it again is harmless (inboxes drop what was processed).
 */
export class KafkaDeadLetters implements DeadLetterStore {
  /** Each group's resolutions, in its own schema. */
  private readonly resolutions: ReadonlyMap<string, DeadLetterResolutionsRepository>;

  constructor(
    private readonly bus: DeadLetterTopicAccess,
    groups: GroupDataSources,
  ) {
    this.resolutions = new Map([...groups].map(([group, ds]) => [group, new DeadLetterResolutionsRepository(ds)]));
  }

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const topics = (await this.topics()).filter(
      (t) => (!filter.group || t.group === filter.group) && (!filter.topic || t.topic === filter.topic),
    );
    if (topics.length === 0) return [];
    const messages = await this.bus.readTopics(topics.map((t) => t.name));
    const resolutions = new Map<string, Resolution>();
    for (const group of new Set(topics.map((t) => t.group))) {
      const rows = await this.repository(group).ofTopics(topics.filter((t) => t.group === group).map((t) => t.name));
      for (const r of rows) resolutions.set(`${r.dlqTopic}/${r.partition}/${r.offset}`, r);
    }
    const byName = new Map(topics.map((t) => [t.name, t]));
    const letters: DeadLetter[] = messages.map((m) => {
      const { group, topic } = byName.get(m.topic)!;
      const ref = `${m.topic}/${m.partition}/${m.offset}`;
      const headers = m.headers ?? {};
      const attributes = eventAttributesOf(m.value, headers);
      const resolution = resolutions.get(ref);
      return {
        ref,
        group,
        topic: headers['jrp-original-topic'] ?? topic,
        key: m.key,
        value: m.value,
        headers,
        eventId: headers['jrp-event-id'] ?? attributes.id,
        type: attributes.type,
        error: headers['jrp-error'] ?? '',
        attempts: Number(headers['jrp-attempts'] ?? 0),
        firstSeen: new Date(Number(m.timestamp)),
        status: resolution?.status ?? 'pending',
        reason: resolution?.reason ?? undefined,
      };
    });
    return letters.filter(
      (l) => (!filter.eventId || l.eventId === filter.eventId) && (filter.includeResolved || l.status === 'pending'),
    );
  }

  async replay(letter: DeadLetter): Promise<void> {
    const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !SINK_HEADERS.includes(name)));
    await this.bus.publish([
      {
        topic: letter.topic,
        key: letter.key,
        value: letter.value,
        ...(Object.keys(headers).length ? { headers } : {}),
      },
    ]);
    await this.resolve(letter, 'replayed', null);
  }

  async discard(letter: DeadLetter, reason: string): Promise<void> {
    await this.resolve(letter, 'discarded', reason);
  }

  /** Messages of each group's dead-letter topics (watermarks) minus the resolved ones still in them. */
  async pendingCounts(): Promise<{ group: string; topic: string; count: number }[]> {
    const out: { group: string; topic: string; count: number }[] = [];
    for (const t of await this.topics()) {
      const offsets = await this.bus.topicOffsets(t.name);
      const total = offsets.reduce((n, o) => n + Number(BigInt(o.high) - BigInt(o.low)), 0);
      const n = await this.repository(t.group).countInTopic(t.name, offsets);
      out.push({ group: t.group, topic: t.topic, count: Math.max(total - n, 0) });
    }
    return out;
  }

  /** The dead-letter topics of the groups this store knows. */
  private async topics(): Promise<{ name: string; group: string; topic: string }[]> {
    return (await this.bus.deadLetterTopics()).filter((t) => this.resolutions.has(t.group));
  }

  private repository(group: string): DeadLetterResolutionsRepository {
    const repository = this.resolutions.get(group);
    if (!repository) throw new Error(`no data source for consumer group ${group}`);
    return repository;
  }

  private async resolve(letter: DeadLetter, status: 'replayed' | 'discarded', reason: string | null): Promise<void> {
    const [dlqTopic, partition, offset] = splitRef(letter.ref);
    const recorded = await this.repository(letter.group).record({
      dlqTopic,
      partition,
      offset,
      eventId: letter.eventId ?? null,
      status,
      reason,
    });
    if (!recorded) throw new Error(`${letter.ref} is no longer pending`);
  }
}

/** `<dlq topic>/<partition>/<offset>` → its parts (topic names contain no `/`). */
function splitRef(ref: string): [string, number, string] {
  const [topic, partition, offset] = ref.split('/');
  return [topic, Number(partition), offset];
}
