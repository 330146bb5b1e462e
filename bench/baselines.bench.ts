import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Results } from './support';

/**
 * The machine's limits, measured in the same run: COPY of task-shaped rows into a table shaped and
 * indexed like measures' `tasks`, and raw kafkajs produce → consume of task-sized messages.
 */
export async function benchBaselines(
  databaseUrl: string,
  tasksSchema: string,
  brokers: string[],
  rows: number,
  results: Results,
): Promise<{ copy: number; kafka: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const schema = `bench_copy_${Date.now()}`;
  let copyRate: number;
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.tasks (LIKE ${tasksSchema}.tasks INCLUDING ALL)`);
    const subject = JSON.stringify({
      kind: 'legal',
      name: '基准测试建设有限公司',
      uscc: '91340100MA2N00004X',
      legalRepresentativeName: '张三',
    });
    const measures = JSON.stringify([
      {
        id: 'M01-01',
        text: '限制失信被执行人及其法定代表人乘坐列车软卧、G字头动车组全部座位、其他动车组一等座以上座位及民航飞机等非必需消费',
      },
    ]);
    const escape = (s: string) => s.replace(/\\/g, '\\\\');
    let i = 0;
    const source = new Readable({
      read() {
        let chunk = '';
        for (let k = 0; k < 1000 && i < rows; k++, i++) {
          chunk += `${randomUUID()}\t${randomUUID()}\t1\tORG-${i % 40}\tBL-COURT-DEBTOR\t340100\t${escape(subject)}\t${escape(measures)}\topen\tfalse\t1\t2026-11-28\t2026-12-04 23:59:59.999+08\t2026-11-28 00:00:00+00\t2026-11-28 00:00:00+00\n`;
        }
        this.push(chunk || null);
      },
    });
    const started = Date.now();
    const copy = client.query(
      copyFrom(
        `COPY ${schema}.tasks (id, entry_id, entry_version, organization, list_type, region, subject, measures, status, entry_disputed, version, dispatched_on, due_at, created_at, updated_at) FROM STDIN`,
      ),
    );
    await pipeline(source, copy);
    copyRate = Math.round(rows / ((Date.now() - started) / 1000));
    results.add({
      name: `baseline: COPY ${rows.toLocaleString('en-US')} task rows into the indexed tasks table`,
      value: copyRate,
      unit: 'rows/s',
    });
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }

  const kafka = new Kafka({ clientId: 'jrp-bench', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench.kafka.${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6, replicationFactor: 1 }] });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({ groupId: `${topic}.group` });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const value = JSON.stringify({
    specversion: '1.0',
    id: randomUUID(),
    type: 'jrp.task.dispatched',
    data: { measures: 'x'.repeat(700) },
  });
  let consumed = 0;
  const allConsumed = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: ({ batch }) => {
        consumed += batch.messages.length;
        if (consumed >= rows) resolve();
        return Promise.resolve();
      },
    });
  });
  const started = Date.now();
  for (let i = 0; i < rows; i += 1000) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: Math.min(1000, rows - i) }, (_, k) => ({ key: `entry-${(i + k) % 5000}`, value })),
    });
  }
  await allConsumed;
  const kafkaRate = Math.round(rows / ((Date.now() - started) / 1000));
  results.add({
    name: `baseline: kafkajs produce → consume ${rows.toLocaleString('en-US')} task-sized messages`,
    value: kafkaRate,
    unit: 'messages/s',
  });
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  results.summary.baselines = { copyRowsPerSecond: copyRate, kafkaMessagesPerSecond: kafkaRate };
  return { copy: copyRate, kafka: kafkaRate };
}
