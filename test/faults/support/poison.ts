import { randomUUID } from 'node:crypto';
import { Admin, Kafka, logLevel } from 'kafkajs';
import {
  AuditEvents,
  CatalogueEvents,
  deadLetterTopic,
  FeedbackEvents,
  ListEntryEvents,
  TaskEvents,
  TokenEvents,
  Topics,
} from '@jrp/contracts';
import { BusMessage, KafkaBus } from '@jrp/messaging';
import { Finding } from './checks';
import { handlersOf, readersOf, TOPICS } from './topology';

/** The header that marks a message the suite injected as poison (dead-letter topics keep the headers). */
export const POISON_HEADER = 'jrp-fault-poison';

/** A type each topic carries that its readers validate (an invalid payload of it is poison to them). */
const VALIDATED_TYPE: Record<string, string> = {
  [Topics.ListEntry]: ListEntryEvents.Listed,
  [Topics.Task]: TaskEvents.Dispatched,
  [Topics.Feedback]: FeedbackEvents.Recorded,
  [Topics.Catalogue]: CatalogueEvents.OrganizationChanged,
  [Topics.Token]: TokenEvents.Revoked,
  [Topics.Audit]: AuditEvents.Recorded,
};

/** Where each injected poison message must end up: one copy on the dead-letter topic of each group named. */
export interface InjectedPoison {
  id: string;
  topic: string;
  kind: 'not JSON' | 'unknown type' | 'invalid payload';
  groups: string[];
}

function envelope(id: string, type: string, key: string, data: object): string {
  return JSON.stringify({
    specversion: '1.0',
    id,
    source: '/jrp/fault-suite',
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    partitionkey: key,
    data,
  });
}

/**
 * Poison on every topic — a value that is not JSON, a CloudEvent of a type no contract knows, a known
 * type whose payload breaks its contract — and copies of real events read back from every topic, sent
 * again on their own key (so behind the originals). Returns what the dead-letter topics must hold and
 * how many messages were sent.
 */
export async function injectPoisonAndDuplicates(
  bus: KafkaBus,
  copiesPerTopic: number,
): Promise<{ poison: InjectedPoison[]; duplicates: number }> {
  const poison: InjectedPoison[] = [];
  const messages: BusMessage[] = [];
  for (const topic of TOPICS) {
    const family = VALIDATED_TYPE[topic].split('.').slice(0, 2).join('.');
    const kinds: [InjectedPoison['kind'], string, string[]][] = [
      ['not JSON', '{"specversion": "1.0", "id": ', readersOf(topic)],
      ['unknown type', `${family}.unheard-of`, readersOf(topic)],
      ['invalid payload', VALIDATED_TYPE[topic], handlersOf(topic, VALIDATED_TYPE[topic])],
    ];
    for (const [kind, what, groups] of kinds) {
      const id = `poison-${randomUUID()}`;
      const key = `poison-key-${id}`;
      const value =
        kind === 'not JSON'
          ? `${what}"${id}"`
          : envelope(id, what, key, { entryId: 'not-a-uuid', taskId: 42, version: 'one' });
      messages.push({
        topic,
        key,
        value,
        headers: { 'content-type': 'application/cloudevents+json; charset=utf-8', [POISON_HEADER]: id },
      });
      poison.push({ id, topic, kind, groups });
    }
  }
  let duplicates = 0;
  for (const topic of TOPICS) {
    const real = (await bus.readTopic(topic, 30000)).filter((m) => !m.headers?.[POISON_HEADER]);
    const sample = real.sort(() => Math.random() - 0.5).slice(0, copiesPerTopic);
    messages.push(...sample.map((m) => ({ topic, key: m.key, value: m.value, headers: m.headers })));
    duplicates += sample.length;
  }
  await bus.publish(messages.sort(() => Math.random() - 0.5));
  return { poison, duplicates };
}

/** The dead-letter topics hold exactly the injected poison: each message once on each group's topic, nothing else. */
export async function checkDeadLetters(bus: KafkaBus, brokers: string, poison: InjectedPoison[]): Promise<Finding> {
  const finding: Finding = { check: 'dead letters = the injected poison', lost: 0, duplicated: 0, examples: [] };
  const note = (example: string) => finding.examples.length < 8 && finding.examples.push(example);
  const expected = new Map<string, number>();
  for (const p of poison) for (const g of p.groups) expected.set(`${deadLetterTopic(g, p.topic)}|${p.id}`, 0);
  const kafka = new Kafka({ clientId: 'jrp-faults-dlq', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.includes('.dlq.'));
  await admin.disconnect();
  for (const topic of topics) {
    for (const m of await bus.readTopic(topic, 30000)) {
      const id = m.headers?.[POISON_HEADER];
      const key = `${topic}|${id}`;
      if (!id) {
        finding.lost++;
        note(
          `lost: a real event set aside on ${topic}: ${m.headers?.['jrp-event-id'] ?? m.key} (${m.headers?.['jrp-error']})`,
        );
      } else if (!expected.has(key)) {
        finding.duplicated++;
        note(`duplicated: poison ${id} on ${topic}, where it does not belong`);
      } else {
        expected.set(key, expected.get(key)! + 1);
      }
    }
  }
  for (const [key, n] of expected) {
    if (n === 0) {
      finding.lost++;
      note(`lost: ${key.replace('|', ' lacks ')}`);
    } else if (n > 1) {
      finding.duplicated += n - 1;
      note(`duplicated: ${key.replace('|', ' holds ')} ${n} times`);
    }
  }
  return finding;
}
