import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import { randomUUID } from 'node:crypto';
import { deadLetterTopic, ListEntryEvents, Topics } from '@jrp/contracts';
import { KafkaBus } from '@jrp/messaging';
import {
  ApiClient,
  cleanUp,
  makeIdNumber,
  makeUscc,
  NginxHandle,
  personalDataOf,
  SchemaProbe,
  ServiceProcess,
  startNginx,
  testEnvironment,
  uniquePrefix,
  waitFor,
} from '@jrp/testing';
import { COURT, courtEntry, LoopWorld, loopScenario } from '../scenarios/loop.scenario';

/**
 * The distributed deployment: list-ingestion, measures and feedback as three processes (from dist/)
 * on a real Apache Kafka broker, behind Debian's nginx with the repository's proxy configuration.
 */
describe('the loop, distributed: three services on Kafka behind nginx', () => {
  const prefix = uniquePrefix('dist');
  const env = testEnvironment(prefix, {
    JRP_BUS: 'kafka',
    JRP_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: '3',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
  });
  const verifyKey = createPublicKey(
    createPrivateKey({ key: Buffer.from(env.JRP_TOKEN_SIGNING_KEY!, 'base64'), format: 'der', type: 'pkcs8' }),
  )
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
  const logs = mkdtempSync(join(tmpdir(), 'jrp-dist-'));
  const verifying = { ...env, JRP_TOKEN_SIGNING_KEY: undefined, JRP_TOKEN_VERIFY_KEY: verifyKey };
  const services = {
    listIngestion: new ServiceProcess('apps/list-ingestion/src/main.js', verifying, join(logs, 'list-ingestion.log')),
    measures: new ServiceProcess('apps/measures/src/main.js', env, join(logs, 'measures.log')),
    // feedback never sees an ID number: it gets no data keys (minimum necessary)
    feedback: new ServiceProcess(
      'apps/feedback/src/main.js',
      { ...verifying, JRP_DATA_KEYS: undefined },
      join(logs, 'feedback.log'),
    ),
  };
  const schema = (s: string) => new SchemaProbe(env.DATABASE_URL!, `${prefix}${s}`);
  const bus = new KafkaBus({
    brokers: env.KAFKA_BROKERS!.split(','),
    clientId: 'jrp-test',
    prefix,
    partitions: 3,
    replicationFactor: 1,
    sessionTimeoutMs: 10000,
    heartbeatIntervalMs: 1000,
    concurrency: 1,
  });
  let nginx: NginxHandle;
  let world: LoopWorld;

  beforeAll(async () => {
    process.stdout.write(
      `distributed scenario on Apache Kafka ${process.env.JRP_TEST_KAFKA_VERSION} at ${env.KAFKA_BROKERS}; service logs in ${logs}\n`,
    );
    await bus.start();
    await Promise.all(Object.values(services).map((s) => s.start()));
    nginx = await startNginx({
      listIngestion: `127.0.0.1:${services.listIngestion.port}`,
      measures: `127.0.0.1:${services.measures.port}`,
      feedback: `127.0.0.1:${services.feedback.port}`,
    });
    world = {
      api: new ApiClient(nginx.url, env.JRP_ADMIN_TOKEN!),
      lists: schema('list_ingestion'),
      measures: schema('measures'),
      feedback: schema('feedback'),
      subjectKey: (kind, id) => personalDataOf(env).subjectKey(kind, id),
      deliver: (messages) => bus.publish(messages),
      deadLetterIds: async () =>
        (await bus.readTopic(deadLetterTopic('measures', Topics.ListEntry))).map(
          (m) => m.headers?.['jrp-event-id'] ?? JSON.parse(m.value).id,
        ),
    };
    await waitFor(
      'list types known to list-ingestion',
      async () => (await world.lists.count('SELECT * FROM known_list_types')) > 0,
      30000,
    );
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(Object.values(services).map((s) => s.kill('SIGTERM')));
    await bus.stop();
    await cleanUp(env);
  });

  it('routes each prefix to its service through one base URL', async () => {
    for (const service of ['list-ingestion', 'measures', 'feedback']) {
      const res = await fetch(`${nginx.url}/api/docs/${service}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    }
    expect((await fetch(`${nginx.url}/api/v1/nowhere`)).status).toBe(404);
  });

  loopScenario(() => world);

  it('revokes a token in every service within seconds', async () => {
    const admin = { Authorization: `Bearer ${env.JRP_ADMIN_TOKEN}` };
    const issued = await world.api
      .http()
      .post(`/api/v1/admin/organizations/${COURT}/tokens`)
      .set(admin)
      .send({ label: 'revocation test' });
    const auth = { Authorization: `Bearer ${issued.body.token}` };
    const calls = () =>
      Promise.all([
        fetch(`${services.listIngestion.url}/api/v1/lists/entries/${randomUUID()}`, { headers: auth }),
        fetch(`${services.measures.url}/api/v1/catalogue/list-types`, { headers: auth }),
        fetch(`${services.feedback.url}/api/v1/feedback`, {
          method: 'POST',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: '{}',
        }),
      ]).then((all) => all.map((r) => r.status));
    expect(await calls()).toEqual([404, 200, 400]);
    expect(
      (await world.api.http().delete(`/api/v1/admin/organizations/${COURT}/tokens/${issued.body.id}`).set(admin))
        .status,
    ).toBe(204);
    const started = Date.now();
    await waitFor('refused by every service', async () => (await calls()).every((s) => s === 401), 15000);
    process.stdout.write(`revocation effective in all three services after ${Date.now() - started} ms\n`);
  });

  it('writes CloudEvents that the official SDK reads, on every topic', async () => {
    let count = 0;
    for (const topic of [Topics.ListEntry, Topics.Task, Topics.Feedback, Topics.Catalogue]) {
      const messages = await bus.readTopic(topic);
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages.filter((x) => !JSON.parse(x.value).id?.startsWith('poison-') && !x.headers?.ce_id)) {
        const kafkaMessage = { headers: m.headers ?? {}, key: m.key, value: m.value, body: m.value };
        const event = CloudEventsKafka.toEvent(kafkaMessage) as CloudEvent<unknown>;
        expect(event.validate()).toBe(true);
        expect(event.partitionkey).toBe(m.key);
        expect(event.type.startsWith('jrp.')).toBe(true);
        count++;
      }
    }
    process.stdout.write(`${count} events on the topics parsed with the cloudevents SDK\n`);
  });

  it('creates one set of tasks for a CloudEvent an outside producer publishes twice', async () => {
    const entryId = randomUUID();
    const uscc = makeUscc(500);
    const key = world.subjectKey('legal', uscc);
    const event = new CloudEvent({
      id: randomUUID(),
      source: '/national-platform',
      type: ListEntryEvents.Listed,
      datacontenttype: 'application/json',
      partitionkey: key,
      data: {
        entryId,
        version: 1,
        listType: 'BL-COURT-DEBTOR',
        status: 'active',
        subjectKey: key,
        subject: { kind: 'legal', name: '外部推送公司', uscc },
        reason: '全国推送',
        decidedBy: '最高人民法院',
        documentNo: 'EXT-1',
        listedAt: '2026-11-01',
        region: '340000',
        publishedBy: 'NATIONAL',
        changedAt: new Date().toISOString(),
      },
    });
    const binary = CloudEventsKafka.binary(event);
    const headers = Object.fromEntries(
      Object.entries(binary.headers)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, String(v)]),
    );
    const value = typeof binary.value === 'string' ? binary.value : JSON.stringify(binary.value);
    const message = { topic: Topics.ListEntry, key, value, headers };
    await bus.publish([message]);
    await bus.publish([message]);
    const tasks = await waitFor('tasks of the pushed entry', async () => {
      const n = await world.measures.count('SELECT * FROM tasks WHERE entry_id = $1', [entryId]);
      return n > 0 && n;
    });
    // a later event on the same key proves the duplicate has been consumed
    const later = await (await world.api.as(COURT)).post('/api/v1/lists/entries', courtEntry(500));
    await waitFor(
      'later entry matched',
      async () => (await world.measures.count('SELECT * FROM tasks WHERE entry_id = $1', [later.body.id])) > 0,
    );
    expect(await world.measures.count('SELECT * FROM tasks WHERE entry_id = $1', [entryId])).toBe(tasks);
    expect(await world.measures.count(`SELECT * FROM inbox WHERE event_id = $1`, [event.id])).toBe(1);
  });

  it('loses nothing when measures is killed mid-stream and started again', async () => {
    const court = await world.api.as(COURT);
    const ids: string[] = [];
    for (let n = 600; n < 640; n++) {
      const res = await court.post(
        '/api/v1/lists/entries',
        courtEntry(n, {
          subject: {
            kind: 'legal',
            name: `中断测试${n}`,
            uscc: makeUscc(n),
            legalRepresentative: { name: '赵六', idNumber: makeIdNumber(n) },
          },
        }),
      );
      expect(res.status).toBe(201);
      ids.push(res.body.id);
      if (n === 615) await services.measures.kill('SIGKILL');
    }
    const matchedWhileDown = await world.measures.count('SELECT * FROM entry_states WHERE entry_id = ANY($1)', [ids]);
    await services.measures.start();
    const perEntry = await world.measures.count('SELECT * FROM tasks WHERE entry_id = $1', [
      (await world.measures.query<{ entry_id: string }>('SELECT entry_id FROM tasks LIMIT 1'))[0].entry_id,
    ]);
    await waitFor(
      'all 40 entries matched',
      async () =>
        (await world.measures.count('SELECT * FROM entry_states WHERE entry_id = ANY($1)', [ids])) === ids.length,
      60000,
    );
    expect(await world.measures.count('SELECT * FROM tasks WHERE entry_id = ANY($1)', [ids])).toBe(
      ids.length * perEntry,
    );
    expect(
      await world.measures.count(
        `SELECT task_id FROM task_changes WHERE task_id IN (SELECT id FROM tasks WHERE entry_id = ANY($1)) GROUP BY task_id HAVING count(*) > 1`,
        [ids],
      ),
    ).toBe(0);
    await waitFor(
      'feedback knows every task',
      async () =>
        (await world.feedback.count('SELECT * FROM known_tasks WHERE entry_id = ANY($1)', [ids])) ===
        ids.length * perEntry,
      60000,
    );
    process.stdout.write(
      `measures killed after 16 of 40 publishes (${matchedWhileDown} matched before the restart); all 40 matched once after it\n`,
    );
  });

  it('never writes an ID number to a service log', () => {
    const text = readdirSync(logs)
      .map((f) => readFileSync(join(logs, f), 'utf8'))
      .join('\n');
    expect(text.length).toBeGreaterThan(1000);
    const leaked = Array.from({ length: 700 }, (_, n) => makeIdNumber(n)).filter((id) => text.includes(id));
    expect(leaked).toEqual([]);
  });
});
