import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { Topics } from '@jrp/contracts';
import { KafkaBus } from '@jrp/messaging';
import {
  ApiClient,
  cleanUp,
  csvCells,
  isFormulaCell,
  makeIdNumber,
  makeUscc,
  rawBody,
  scanForIdNumbers,
  SchemaProbe,
  waitFor,
  xlsxCells,
  IMPORT_HEADERS,
} from '@jrp/testing';
import { serviceDeployment } from '../operations/support/services';
import { COURT, courtEntry, OFFICE, RAILWAY } from '../scenarios/loop.scenario';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const spaced = (id: string) =>
  `${id.slice(0, 4)} ${id.slice(4, 8)} ${id.slice(8, 12)} ${id.slice(12, 16)} ${id.slice(16)}`;
const dashed = (id: string) => `${id.slice(0, 6)}-${id.slice(6, 14)}-${id.slice(14)}`;
const masked = (id: string) => `${id.slice(0, 6)}************`;
const csvOf = (rows: string[][]) =>
  [IMPORT_HEADERS, ...rows]
    .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    .join('\r\n') + '\r\n';

/**
 * The personal-data sweep (issue 17): the three services as separate processes on the real broker, at the
 * verbose log level, run a scenario that puts ID numbers everywhere a person would — published entries,
 * an import with rejected rows holding ID numbers (plain, in groups, inside texts), a case whose text has
 * an ID number written with spaces, a name, a phone number and an address, published by the office —
 * and download the reports as CSV and XLSX and the import's errors CSV. Then it reads everything the
 * deployment holds or gave out: every row of every table of its schemas (outbox, inbox and dead letters
 * included), every message of its Kafka topics and dead-letter topics, every log line, every export and
 * answer; no ID number in clear may be anywhere (spaces and dashes allowed between its characters; masked
 * forms and USCCs are not numbers in clear), and no exported cell may start with = + - @.
 */
describe('personal-data sweep: no clear ID number at rest, in events, in logs or in exports', () => {
  const d = serviceDeployment('pd', { LOG_LEVEL: 'verbose', LOG_FORMAT: 'json' });
  const schema = (s: string) => new SchemaProbe(d.env.DATABASE_URL!, `${d.prefix}${s}`);
  const lists = schema('list_ingestion');
  const measures = schema('measures');
  const feedback = schema('feedback');
  const bus = new KafkaBus({
    brokers: d.env.KAFKA_BROKERS!.split(','),
    clientId: 'jrp-test-sweep',
    prefix: d.prefix,
    partitions: 3,
    replicationFactor: 1,
    sessionTimeoutMs: 10000,
    heartbeatIntervalMs: 1000,
    concurrency: 1,
  });
  let admin: ApiClient;
  /** What the scenario downloaded or was answered: the exports and API answers the sweep reads. */
  const exports: { source: string; text: string }[] = [];
  const exportedCells: { source: string; text: string; formula: boolean }[] = [];

  /** The service that serves a path, as the proxy routes it. */
  const serviceOf = (path: string) =>
    /^\/api\/v1\/(lists|subjects)\b/.test(path)
      ? d.listIngestion.url
      : /^\/api\/v1\/(feedback|reports)\b/.test(path)
        ? d.feedback.url
        : d.measures.url;
  const as = async (code: string) => {
    const token = await admin.tokenOf(code);
    const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
    return {
      get: (path: string) => auth(request(serviceOf(path)).get(path)),
      post: (path: string, body?: object) => auth(request(serviceOf(path)).post(path)).send(body ?? {}),
      download: (path: string) =>
        auth(request(serviceOf(path)).get(path))
          .buffer(true)
          .parse(rawBody),
      upload: (path: string, file: Buffer, name: string) =>
        auth(request(serviceOf(path)).post(path)).attach('file', file, name),
    };
  };
  const keep = (source: string, body: unknown) =>
    exports.push({ source, text: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    process.stdout.write(`personal-data sweep: service logs in ${d.logs}\n`);
    await bus.start();
    await Promise.all([d.listIngestion.start(), d.measures.start(), d.feedback.start()]);
    admin = new ApiClient(d.measures.url, d.env.JRP_ADMIN_TOKEN!);
    await waitFor(
      'the catalogue known everywhere',
      async () => {
        const known = await Promise.all([
          lists.count('SELECT * FROM known_list_types'),
          feedback.count('SELECT * FROM known_organizations'),
        ]);
        return known.every((n) => n > 0);
      },
      60000,
    );
  }, 120000);

  afterAll(async () => {
    await Promise.all([d.listIngestion.kill(), d.measures.kill(), d.feedback.kill()]);
    await bus.stop();
    await cleanUp(d.env);
  });

  let entryId: string;
  let caseId: string;

  it('publishes entries whose people have ID numbers, and refuses a bad one storing nothing', async () => {
    const court = await as(COURT);
    for (const n of [1, 2]) {
      const res = await court.post('/api/v1/lists/entries', courtEntry(n)); // legal representative 张三
      expect(res.status).toBe(201);
      keep(`POST /lists/entries ${n}`, res.body);
      entryId ??= res.body.id as string;
    }
    const natural = {
      ...courtEntry(3),
      subject: { kind: 'natural', name: '李四', idNumber: makeIdNumber(3) },
    };
    const person = await court.post('/api/v1/lists/entries', natural);
    expect(person.status).toBe(201);
    keep('POST /lists/entries natural', person.body);
    keep('GET /lists/entries/:id', (await court.get(`/api/v1/lists/entries/${person.body.id}`)).body);
    keep('GET /lists/public', (await (await as(RAILWAY)).get('/api/v1/lists/public')).body);

    const before = await lists.count('SELECT * FROM list_entries');
    const bad = await court.post('/api/v1/lists/entries', { ...natural, documentNo: 'bad', region: '999999' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['region']);
    keep('POST /lists/entries refused', bad.body);
    expect(await lists.count('SELECT * FROM list_entries')).toBe(before);
  });

  it('imports a file with rejected rows holding ID numbers, and serves their errors CSV masked', async () => {
    const good = [
      '失信被执行人名单',
      '法人',
      '导入清扫公司1',
      makeUscc(11),
      '',
      '',
      '王五',
      makeIdNumber(11),
      '拒不履行',
      '合肥中院',
      '省级',
      'pd-1',
      '2026-11-01',
      '',
      '340100',
    ];
    const rows = [
      good,
      // a natural person outside Anhui: rejected, the ID number in its column
      [
        '失信被执行人名单',
        '自然人',
        '赵六',
        '',
        '居民身份证',
        makeIdNumber(12),
        '',
        '',
        ...good.slice(8, 11),
        'pd-2',
        '2026-11-01',
        '',
        '320100',
      ],
      // a wrong USCC; the legal representative's ID number in groups; an ID number with dashes in the reason
      [
        ...good.slice(0, 2),
        '导入清扫公司3',
        '91350100M000100Y44',
        '',
        '',
        '钱七',
        spaced(makeIdNumber(13)),
        `法定代表人证件号 ${dashed(makeIdNumber(14))} 拒不履行`,
        ...good.slice(9, 11),
        'pd-3',
        '2026-11-01',
        '',
        '340100',
      ],
      // a subject name a spreadsheet would run, an 18-character value like an ID number, a wrong region
      [
        ...good.slice(0, 2),
        '=HYPERLINK("http://evil","点我")',
        makeUscc(15),
        '',
        '',
        '孙八',
        '3401-0219-8001-0199-99',
        ...good.slice(8, 11),
        'pd-4',
        '2026-11-01',
        '',
        '999999',
      ],
    ];
    const court = await as(COURT);
    const accepted = await court.upload('/api/v1/lists/imports', Buffer.from(csvOf(rows), 'utf8'), 'sweep.csv');
    expect(accepted.status).toBe(202);
    const job = await waitFor('the import done', async () => {
      const res = await court.get(`/api/v1/lists/imports/${accepted.body.id}`);
      return res.body.status === 'done' ? res.body : undefined;
    });
    expect(job).toMatchObject({ total: 4, created: 1, rejected: 3 });
    keep('GET /lists/imports/:id', job);
    expect(await lists.count('SELECT * FROM import_errors WHERE import_id = $1', [accepted.body.id])).toBe(3);

    const errors = await court.download(`/api/v1/lists/imports/${accepted.body.id}/errors`);
    expect(errors.status).toBe(200);
    const csv = errors.body as Buffer;
    const text = csv.toString('utf8');
    for (const n of [12, 13, 14]) expect(text).toContain(masked(makeIdNumber(n)));
    expect(text).toContain(`'=HYPERLINK(""http://evil"",""点我"")"`);
    keep('errors CSV', text);
    for (const cell of csvCells(csv)) exportedCells.push({ source: 'errors CSV', text: cell, formula: false });
  });

  it('records a case with an ID number in groups, a name, a phone and an address; the office publishes it masked', async () => {
    const railway = await as(RAILWAY);
    const task = await waitFor('the railway task known to feedback', async () => {
      const [row] = await feedback.query<{ id: string }>(
        `SELECT id FROM known_tasks WHERE entry_id = $1 AND organization = $2`,
        [entryId, RAILWAY],
      );
      return row;
    });
    const fed = await railway.post('/api/v1/feedback', {
      taskId: task.id,
      items: [{ measureId: 'M01-01', outcome: 'implemented', implementedAt: '2026-11-05', explanation: '已限制购票' }],
    });
    expect(fed.status).toBe(201);
    const recorded = await railway.post('/api/v1/feedback/cases', {
      taskId: task.id,
      measureIds: ['M01-01'],
      title: '=HYPERLINK("http://evil","案例")某公司被限制乘坐高铁后主动履行',
      occurredAt: '2026-11-05',
      region: '340104',
      description: `法定代表人张三（身份证号 ${spaced(makeIdNumber(1))}，电话 138-1234-5678，住合肥市蜀山区长江西路123号2栋301室）在限制期间主动履行。`,
      effect: `促使履行欠款120万元，另一被执行人证件号${dashed(makeIdNumber(21))}`,
      publishable: true,
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.status).toBe('draft');
    caseId = recorded.body.id as string;
    keep('POST /feedback/cases', recorded.body);
    expect((await request(d.feedback.url).get('/api/v1/feedback/cases/public')).body.items).toEqual([]);

    const published = await (await as(OFFICE)).post(`/api/v1/feedback/cases/${caseId}/publication`);
    expect(published.status).toBe(200);
    expect(published.body.description).toBe(
      `法定代表人张*（身份证号 ${masked(makeIdNumber(1))}，电话 138****5678，住合肥市蜀山区长江西路***号）在限制期间主动履行。`,
    );
    keep('POST /feedback/cases/:id/publication', published.body);
    const open = await request(d.feedback.url).get('/api/v1/feedback/cases/public');
    expect(open.body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    keep('GET /feedback/cases/public', open.body);
    keep('GET /feedback/cases', (await (await as(OFFICE)).get('/api/v1/feedback/cases')).body);
  });

  it('downloads every report as CSV and XLSX', async () => {
    const office = await as(OFFICE);
    await waitFor('the case in the cases report', async () => {
      const res = await office.get('/api/v1/reports/cases');
      return res.body.items?.length === 1;
    });
    for (const report of ['completion', 'overdue', 'cases', 'assessment']) {
      const csv = await office.download(`/api/v1/reports/${report}?format=csv`);
      expect(csv.status).toBe(200);
      keep(`${report} CSV`, (csv.body as Buffer).toString('utf8'));
      for (const cell of csvCells(csv.body as Buffer))
        exportedCells.push({ source: `${report} CSV`, text: cell, formula: false });
      const xlsx = await office.download(`/api/v1/reports/${report}?format=xlsx`);
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers['content-type']).toContain(XLSX);
      for (const cell of await xlsxCells(xlsx.body as Buffer)) {
        exportedCells.push({ source: `${report} XLSX ${cell.address}`, text: cell.text, formula: cell.formula });
        exports.push({ source: `${report} XLSX ${cell.address}`, text: cell.text });
      }
    }
    // the cases report carries the case's title, which a spreadsheet would have run
    expect(
      exportedCells.filter((c) => c.text.includes('HYPERLINK("http://evil","案例")')).map((c) => c.text[0]),
    ).toEqual(["'", "'"]);
  });

  it('leaves no ID number in clear in any table of the deployment, once every service has caught up', async () => {
    // every event sent and consumed: the audit records of the downloads reached measures
    await waitFor(
      'the outboxes drained',
      async () => {
        const pending = await Promise.all(
          [lists, measures, feedback].map((p) => p.count('SELECT * FROM outbox_pending')),
        );
        return pending.every((n) => n === 0);
      },
      60000,
    );
    await waitFor(
      'the audit trail complete',
      async () => {
        const actions = await measures.query<{ action: string }>(
          `SELECT DISTINCT action FROM audit_trail WHERE action IN ('import.errors.read', 'case.publish')`,
        );
        return actions.length === 2;
      },
      60000,
    );
    const client = new Client({ connectionString: d.env.DATABASE_URL });
    await client.connect();
    const rows: { source: string; text: string }[] = [];
    try {
      const tables = await client.query<{ schema: string; table: string }>(
        `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema LIKE $1 ORDER BY 1, 2`,
        [`${d.prefix}%`],
      );
      expect(tables.rows.map((t) => t.schema).filter((s, i, all) => all.indexOf(s) === i)).toEqual(
        ['feedback', 'list_ingestion', 'measures'].map((s) => `${d.prefix}${s}`),
      );
      const names = tables.rows.map((t) => t.table);
      for (const table of ['outbox', 'inbox', 'dead_letters', 'import_errors', 'list_entries', 'cases', 'audit_trail'])
        expect(names).toContain(table);
      for (const { schema: s, table } of tables.rows) {
        const id = `${client.escapeIdentifier(s)}.${client.escapeIdentifier(table)}`;
        const result = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${id} t`);
        for (const r of result.rows) rows.push({ source: `${s}.${table}`, text: r.row });
      }
    } finally {
      await client.end();
    }
    expect(rows.length).toBeGreaterThan(500);
    expect(rows.some((r) => r.source.endsWith('.import_errors') && r.text.includes(masked(makeIdNumber(12))))).toBe(
      true,
    );
    expect(scanForIdNumbers(rows)).toEqual([]);
  });

  it('sends none in any Kafka message or dead letter', async () => {
    const topics = [...Object.values(Topics), ...(await bus.deadLetterTopics()).map((t) => t.name)];
    const messages = await bus.readTopics(topics, 30000);
    expect(messages.filter((m) => m.topic === Topics.ListEntry).length).toBeGreaterThanOrEqual(4);
    expect(messages.some((m) => m.value.includes('idNumberEncrypted'))).toBe(true); // the ciphertexts travel
    const leaks = scanForIdNumbers(
      messages.map((m) => ({
        source: `${m.topic}[${m.partition}]@${m.offset}`,
        text: `${m.key}\n${JSON.stringify(m.headers ?? {})}\n${m.value}`,
      })),
    );
    expect(leaks).toEqual([]);
  });

  it('writes none to a log line at the verbose level, and gives none out in an export or answer', async () => {
    await Promise.all([d.listIngestion.kill(), d.measures.kill(), d.feedback.kill()]); // logs complete
    const logs = readdirSync(d.logs).map((f) => ({ source: f, text: readFileSync(join(d.logs, f), 'utf8') }));
    expect(logs.map((l) => l.source).sort()).toEqual(['feedback.log', 'list-ingestion.log', 'measures.log']);
    const lines = logs.flatMap((l) => l.text.split('\n').map((text, i) => ({ source: `${l.source}:${i + 1}`, text })));
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.some((l) => l.text.includes('"level":"debug"'))).toBe(true); // below the default level
    expect(scanForIdNumbers(lines)).toEqual([]);
    expect(exports.length).toBeGreaterThan(20);
    expect(scanForIdNumbers(exports)).toEqual([]);
  });

  it('exports no cell a spreadsheet would run as a formula', () => {
    expect(exportedCells.length).toBeGreaterThan(100);
    expect(exportedCells.filter((c) => c.formula || isFormulaCell(c.text))).toEqual([]);
  });
});
