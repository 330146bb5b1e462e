import type { DataSource } from 'typeorm';
import {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterStatus,
  DeadLetterStore,
  eventAttributesOf,
  GroupDataSources,
} from '../dead-letter/dead-letters';
import type { BusMessage } from '../bus/event-bus';

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

interface Resolution {
  dlq_topic: string;
  partition: number;
  offset: string;
  status: Exclude<DeadLetterStatus, 'pending'>;
  reason: string | null;
}

/**
 * Kafka's dead letters: the messages of the dead-letter topics `<topic>.dlq.<group>`, read from the
 * beginning (they are kept forever). A topic's messages cannot be changed, so what became of each one
 * is recorded in the group's own schema (`dead_letter_resolutions`, keyed by topic, partition and
 * offset); a message without such a row is pending. Replaying sends the original message (key, value,
 * headers, so the same event id) back to its topic, then records it: a crash in between leaves it
 * pending, and replaying it again is harmless (inboxes drop what was processed).
 */
export class KafkaDeadLetters implements DeadLetterStore {
  constructor(
    private readonly bus: DeadLetterTopicAccess,
    private readonly groups: GroupDataSources,
  ) {}

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const topics = (await this.topics()).filter(
      (t) => (!filter.group || t.group === filter.group) && (!filter.topic || t.topic === filter.topic),
    );
    if (topics.length === 0) return [];
    const messages = await this.bus.readTopics(topics.map((t) => t.name));
    const resolutions = new Map<string, Resolution>();
    for (const group of new Set(topics.map((t) => t.group))) {
      const rows: Resolution[] = await this.dataSource(group).query(
        `SELECT dlq_topic, partition, "offset"::text AS "offset", status, reason FROM dead_letter_resolutions WHERE dlq_topic = ANY($1)`,
        [topics.filter((t) => t.group === group).map((t) => t.name)],
      );
      for (const r of rows) resolutions.set(`${r.dlq_topic}/${r.partition}/${r.offset}`, r);
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
      const [{ n }] = await this.dataSource(t.group).query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM dead_letter_resolutions r
         JOIN unnest($2::int[], $3::bigint[]) AS w(partition, low) ON w.partition = r.partition AND r."offset" >= w.low
         WHERE r.dlq_topic = $1`,
        [t.name, offsets.map((o) => o.partition), offsets.map((o) => o.low)],
      );
      out.push({ group: t.group, topic: t.topic, count: Math.max(total - n, 0) });
    }
    return out;
  }

  /** The dead-letter topics of the groups this store knows. */
  private async topics(): Promise<{ name: string; group: string; topic: string }[]> {
    return (await this.bus.deadLetterTopics()).filter((t) => this.groups.has(t.group));
  }

  private dataSource(group: string): DataSource {
    const ds = this.groups.get(group);
    if (!ds) throw new Error(`no data source for consumer group ${group}`);
    return ds;
  }

  private async resolve(letter: DeadLetter, status: 'replayed' | 'discarded', reason: string | null): Promise<void> {
    const [dlqTopic, partition, offset] = splitRef(letter.ref);
    const inserted: unknown[] = await this.dataSource(letter.group).query(
      `INSERT INTO dead_letter_resolutions (dlq_topic, partition, "offset", event_id, status, reason) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING dlq_topic`,
      [dlqTopic, partition, offset, letter.eventId ?? null, status, reason],
    );
    if (inserted.length === 0) throw new Error(`${letter.ref} is no longer pending`);
  }
}

/** `<dlq topic>/<partition>/<offset>` → its parts (topic names contain no `/`). */
function splitRef(ref: string): [string, number, string] {
  const [topic, partition, offset] = ref.split('/');
  return [topic, Number(partition), offset];
}
