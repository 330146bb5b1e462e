import { randomUUID } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';
import { BusMessage, ConsumerReplacement, KafkaBus } from '@jrp/messaging';
import { waitFor } from '@jrp/testing';

/** The watchdog's limits here: a consumer that stopped is replaced after 6 s (90 s in production). */
const STALL_MS = 6000;
const WATCH_EVERY_MS = 500;
/** A replaced consumer consumes again within this (the stall, a look, the old one's disconnect and the new one's join). */
const BOUND_MS = STALL_MS + 20_000;
/** The suite's own topic and group on the run's shared broker. */
const TOPIC = `t_watchdog_${randomUUID().slice(0, 8)}.v1`;
const GROUP = `watched-${randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The consumer watchdog of KafkaBus on the test run's broker: consumers stopped the ways kafkajs 2.2.4
 * stops them — a fetch loop that ends without a word, partitions assigned and never read — and the group
 * consuming again within a bound; a consumer that is merely idle, or busy retrying while its database is
 * away, is kept. The broker going away and coming back (consumers crash and must resume) needs a broker
 * the test may stop: that is the fault suite's "broker down 40 s" row (test/faults), not this file's.
 */
describe('messaging: the Kafka consumer watchdog', () => {
  let bus: KafkaBus;
  /** Every consumer KafkaBus made (the test stops them the way kafkajs sometimes does). */
  let made: jest.SpyInstance<Consumer, Parameters<Kafka['consumer']>>;
  const consumers = () => made.mock.results.map((r) => r.value as Consumer);
  const replacements: ConsumerReplacement[] = [];
  const received = new Set<string>();
  /** While set, the handler fails as when the service's database is unreachable. */
  let databaseAwayUntil = 0;
  let sent = 0;

  /** Sends n new messages, retrying like the outbox relay (a send right after a broker restart may fail). */
  const publish = async (n: number): Promise<string[]> => {
    const values = Array.from({ length: n }, () => `m${++sent}`);
    await waitFor(
      'a send',
      () =>
        bus.publish(values.map((value, i) => ({ topic: TOPIC, key: `k${i % 6}`, value }))).then(
          () => true,
          () => false,
        ),
      60_000,
      1000,
    );
    return values;
  };
  const allReceived = (values: string[], what: string, timeoutMs = BOUND_MS) =>
    waitFor(what, () => Promise.resolve(values.every((v) => received.has(v))), timeoutMs, 100);
  const current = () => consumers()[consumers().length - 1];

  beforeAll(async () => {
    made = jest.spyOn(Kafka.prototype, 'consumer'); // calls through: only remembers what it returned
    bus = new KafkaBus({
      brokers: process.env.KAFKA_BROKERS!.split(','),
      clientId: 'jrp-watchdog-test',
      prefix: '',
      partitions: 3,
      replicationFactor: 1,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 1000,
      concurrency: 3,
      consumerStallMs: STALL_MS,
      watchdogIntervalMs: WATCH_EVERY_MS,
    });
    bus.onConsumerReplaced((r) => replacements.push(r));
    await bus.start();
    await bus.ensureTopics([TOPIC]);
    await bus.subscribe({
      group: GROUP,
      topics: [TOPIC],
      handle: (messages: BusMessage[]) => {
        if (Date.now() < databaseAwayUntil)
          return Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
          );
        for (const m of messages) received.add(m.value);
        return Promise.resolve();
      },
    });
    await allReceived(await publish(12), 'the first messages');
  }, 180_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await bus?.stop();
  }, 60_000);

  it('keeps a consumer that is idle, and one busy retrying while its database is away, longer than the stall', async () => {
    await sleep(STALL_MS + 2000);
    databaseAwayUntil = Date.now() + STALL_MS + 3000;
    const values = await publish(6);
    await sleep(STALL_MS + 1000);
    expect(values.some((v) => received.has(v))).toBe(false); // still retrying in place
    await allReceived(values, 'the messages once the database is back');
    expect(replacements).toEqual([]);
    expect(consumers()).toHaveLength(1);
  }, 60_000);

  it('replaces a consumer whose fetch loop ended without a crash, and the group consumes again', async () => {
    const stalled = current();
    await stalled.stop(); // the runner stops: no crash event, no restart, the client stays connected
    const values = await publish(12);
    const from = Date.now();
    await allReceived(values, 'the messages after the replacement');
    expect(Date.now() - from).toBeGreaterThanOrEqual(STALL_MS - 2 * WATCH_EVERY_MS);
    expect(replacements).toEqual([{ group: GROUP, reason: 'no-fetch' }]);
    expect(current()).not.toBe(stalled);
  }, 60_000);

  it('replaces a consumer that fetches but never reads its partitions, and the group consumes again', async () => {
    replacements.length = 0;
    const stalled = current();
    stalled.pause([{ topic: TOPIC }]); // assigned, fetching every second, nothing read: the committed offsets stay
    const values = await publish(12);
    await allReceived(values, 'the messages after the replacement');
    expect(replacements).toEqual([{ group: GROUP, reason: 'no-progress' }]);
    expect(current()).not.toBe(stalled);
  }, 60_000);
});
