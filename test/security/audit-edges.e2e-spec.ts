import { INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client } from 'pg';
import { RefusedRequests } from '@jrp/audit';
import {
  ApiClient,
  cleanUp,
  makeIdNumber,
  personalDataOf,
  SseClient,
  testConfig,
  testEnvironment,
  uniquePrefix,
  waitFor,
} from '@jrp/testing';
import { createStandaloneApp } from '../../apps/standalone/src/standalone.app';
import { parseMigrateArgs, runMigrate, serviceRole } from '../../tools/migrate/migrate';
import { COURT, courtEntry, OFFICE, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

/** The trusted proxy of these suites: a loopback address of its own, so a test can call from it or not. */
const PROXY = '127.0.0.2';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to `port` on 127.0.0.1 from the local address `from` (the peer the server sees). */
function call(
  port: number,
  path: string,
  options: { from?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        localAddress: options.from ?? '127.0.0.1',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

interface AuditRecord {
  action: string;
  objectType: string;
  objectId: string;
  organization: string;
  tokenId: string;
  requestId: string;
  sourceAddress: string;
  outcome: string;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Issue 17, parts 4 and 5: the client address is the connection's unless a trusted proxy
 * (JRP_TRUSTED_PROXIES) names it; refused attempts and reads of personal data are in the audit trail;
 * the audit trail cannot be changed by the services' database role.
 */
describe('audit and network edges', () => {
  const suite = useStandalone('edges', { JRP_TRUSTED_PROXIES: PROXY });
  let port: number;
  let serial = 17400;

  beforeAll(async () => {
    await suite.app.listen(0, '127.0.0.1');
    port = ((suite.app.getHttpServer() as Server).address() as AddressInfo).port;
  });

  /** The records of the trail matching `query`, once the refused requests waiting have been written. */
  async function trail(query: string): Promise<AuditRecord[]> {
    await suite.app.get(RefusedRequests).flush();
    const office = await suite.api.as(OFFICE);
    const res = await office.get(`/api/v1/admin/audit?${query}&limit=500`);
    expect(res.status).toBe(200);
    return res.body.items as AuditRecord[];
  }

  /** The trail's records for `query` once there are some (list-ingestion's arrive as events). */
  function recorded(query: string): Promise<AuditRecord[]> {
    return waitFor(`audit records for ${query}`, async () => {
      const records = await trail(query);
      return records.length > 0 ? records : undefined;
    });
  }

  async function publish(): Promise<string> {
    const res = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', courtEntry(serial++));
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  /** The railway's task for an entry, once measures has dispatched it. */
  async function railwayTask(entryId: string): Promise<string> {
    const railway = await suite.api.as(RAILWAY);
    return waitFor(
      'the railway task',
      async () => {
        const res = await railway.get('/api/v1/tasks?limit=500');
        return (res.body.items as { id: string; entryId: string }[]).find((t) => t.entryId === entryId)?.id;
      },
      30000,
    );
  }

  describe('client addresses', () => {
    it('ignores X-Forwarded-For from an untrusted peer: the audit shows the connection’s address', async () => {
      const token = await suite.api.tokenOf(COURT);
      const entryId = await publish();
      const read = await call(port, `/api/v1/lists/entries/${entryId}`, {
        headers: { ...bearer(token), 'X-Forwarded-For': '203.0.113.66', 'X-Request-Id': 'req-edges-forged-1' },
      });
      expect(read.status).toBe(200);
      const [record] = await recorded('requestId=req-edges-forged-1');
      expect(record).toMatchObject({
        action: 'list-entry.read',
        sourceAddress: expect.stringMatching(/127\.0\.0\.1$/),
      });
    });

    it('honours X-Forwarded-For from a trusted proxy: the audit shows the client it names', async () => {
      const token = await suite.api.tokenOf(COURT);
      const entryId = await publish();
      const read = await call(port, `/api/v1/lists/entries/${entryId}`, {
        from: PROXY,
        headers: { ...bearer(token), 'X-Forwarded-For': '203.0.113.66', 'X-Request-Id': 'req-edges-proxied-1' },
      });
      expect(read.status).toBe(200);
      const [record] = await recorded('requestId=req-edges-proxied-1');
      expect(record).toMatchObject({ action: 'list-entry.read', sourceAddress: '203.0.113.66' });
      // a client's own X-Forwarded-For before the proxy's entry is not believed: only what the proxy saw
      const chained = await call(port, `/api/v1/lists/entries/${entryId}`, {
        from: PROXY,
        headers: {
          ...bearer(token),
          'X-Forwarded-For': '198.51.100.99, 203.0.113.67',
          'X-Request-Id': 'req-edges-proxied-2',
        },
      });
      expect(chained.status).toBe(200);
      expect((await recorded('requestId=req-edges-proxied-2'))[0].sourceAddress).toBe('203.0.113.67');
    });
  });

  describe('refused attempts', () => {
    /** A request from the trusted proxy on behalf of `client` (each test its own address, its own share). */
    const via = (client: string, requestId: string, headers: Record<string, string> = {}) => ({
      from: PROXY,
      headers: { 'X-Forwarded-For': client, 'X-Request-Id': requestId, ...headers },
    });

    it('records 401, 403, 404 with the route, request id, source address, caller when known and outcome', async () => {
      const railway = await suite.api.tokenOf(RAILWAY);
      const entryId = await publish();
      const taskId = await railwayTask(entryId);
      const court = await suite.api.tokenOf(COURT);
      const client = '203.0.113.11';
      const answers = [
        await call(port, '/api/v1/tasks', via(client, 'req-edges-401-none')),
        await call(port, '/api/v1/tasks', via(client, 'req-edges-401-bad', bearer(`${railway.slice(0, -4)}AAAA`))),
        await call(port, '/api/v1/admin/audit', via(client, 'req-edges-403', bearer(railway))),
        await call(port, `/api/v1/tasks/${taskId}`, via(client, 'req-edges-404-other', bearer(court))),
        await call(port, '/api/v1/no-such-route', via(client, 'req-edges-404-route', bearer(court))),
        await call(port, `/api/v1/subjects/${makeIdNumber(17401)}/credit`, via(client, 'req-edges-404-id')),
      ];
      expect(answers.map((a) => a.status)).toEqual([401, 401, 403, 404, 404, 401]);
      const records = (await trail('action=request.refused')).filter((r) => r.sourceAddress === client);
      const byRequest = Object.fromEntries(records.map((r) => [r.requestId, r]));
      expect(byRequest['req-edges-401-none']).toMatchObject({
        objectType: 'route',
        objectId: 'GET /api/v1/tasks',
        organization: 'anonymous',
        tokenId: '',
        outcome: 'unauthorized',
      });
      expect(byRequest['req-edges-401-bad']).toMatchObject({ organization: 'anonymous', outcome: 'unauthorized' });
      expect(byRequest['req-edges-403']).toMatchObject({
        objectId: 'GET /api/v1/admin/audit',
        organization: RAILWAY,
        tokenId: expect.stringMatching(/.+/),
        outcome: 'forbidden',
      });
      expect(byRequest['req-edges-404-other']).toMatchObject({
        objectId: `GET /api/v1/tasks/${taskId}`,
        organization: COURT,
        outcome: 'not-found',
      });
      expect(byRequest['req-edges-404-route']).toMatchObject({ objectId: 'GET /api/v1/no-such-route' });
      // an ID number in a path reaches the trail masked
      expect(byRequest['req-edges-404-id'].objectId).toBe(
        `GET /api/v1/subjects/${makeIdNumber(17401).slice(0, 6)}************/credit`,
      );
      expect(JSON.stringify(records)).not.toContain(makeIdNumber(17401));
    });

    it('bounds what a flood of refusals writes, and counts what it does not record', async () => {
      const client = '203.0.113.12';
      const statuses: number[] = [];
      for (let n = 0; n < 90; n++)
        statuses.push((await call(port, '/api/v1/tasks', via(client, `req-flood-${n}`))).status);
      expect(statuses.every((s) => s === 401)).toBe(true);
      const records = (await trail('action=request.refused')).filter((r) => r.sourceAddress === client);
      const recorded = records.filter((r) => r.outcome === 'unauthorized');
      const counted = records
        .filter((r) => r.outcome === 'not-recorded')
        .reduce((sum, r) => sum + Number(r.objectId), 0);
      expect(recorded.length).toBeLessThan(90);
      expect(recorded.length + counted).toBe(90); // each refusal either recorded or counted
      expect(records.filter((r) => r.outcome === 'not-recorded').every((r) => r.objectType === 'count')).toBe(true);
      const metrics = await suite.api.http().get('/metrics');
      expect(metrics.text).toMatch(new RegExp(`jrp_audit_refusals_unrecorded_total ${counted}\\b`));
    });
  });

  describe('reads of personal data', () => {
    it('records a search by identifier (the subject key, never the number) and a credit file read', async () => {
      const office = await suite.api.as(OFFICE);
      const idNumber = makeIdNumber(17402);
      const court = await suite.api.as(COURT);
      const listed = await court.post('/api/v1/lists/entries', {
        ...courtEntry(serial++),
        subject: { kind: 'natural', name: '审计检索测试人', idNumber },
      });
      expect(listed.status).toBe(201);
      const search = await office.get(`/api/v1/lists/entries?q=${idNumber}`).set('X-Request-Id', 'req-edges-search');
      expect(search.status).toBe(200);
      expect(search.body.items.map((e: { id: string }) => e.id)).toEqual([listed.body.id]);
      const byName = await office
        .get(`/api/v1/lists/entries?q=${encodeURIComponent('审计检索')}`)
        .set('X-Request-Id', 'req-edges-by-name');
      expect(byName.status).toBe(200);
      const file = await office.get(`/api/v1/subjects/${idNumber}/credit`).set('X-Request-Id', 'req-edges-file');
      expect(file.status).toBe(200);
      const key = personalDataOf(suite.env).subjectKey('natural', idNumber);
      const records = await waitFor('the reads recorded', async () => {
        const found = await trail(`objectType=subject&objectId=${encodeURIComponent(key)}`);
        return found.length >= 2 ? found : undefined;
      });
      expect(records.map((r) => [r.action, r.requestId, r.organization])).toEqual([
        ['subject.search', 'req-edges-search', OFFICE],
        ['subject.read-credit-file', 'req-edges-file', OFFICE],
      ]);
      expect(await trail('requestId=req-edges-by-name')).toEqual([]); // a search by name is not one by identifier
      expect(JSON.stringify(await trail('objectType=subject'))).not.toContain(idNumber);
    });

    it('records task and feed reads once per request (per batch on the stream), and receipt, return, reassignment', async () => {
      const entryId = await publish();
      const taskId = await railwayTask(entryId);
      const railway = await suite.api.as(RAILWAY);
      const office = await suite.api.as(OFFICE);
      expect((await railway.get('/api/v1/tasks?limit=500').set('X-Request-Id', 'req-edges-list')).status).toBe(200);
      expect((await railway.get(`/api/v1/tasks/${taskId}`).set('X-Request-Id', 'req-edges-one')).status).toBe(200);
      const feed = await railway.get('/api/v1/tasks/feed?limit=1000').set('X-Request-Id', 'req-edges-feed');
      expect(feed.status).toBe(200);
      expect(feed.body.items.length).toBeGreaterThan(1);
      const stream = new SseClient(`http://127.0.0.1:${port}/api/v1/tasks/stream`, {
        ...bearer(await suite.api.tokenOf(RAILWAY)),
        'X-Request-Id': 'req-edges-stream',
      });
      expect(await stream.opened).toBe(200);
      await waitFor('the stream’s first events', () => Promise.resolve(stream.events.length > 0 || undefined));
      stream.close();
      await stream.closed;
      expect((await railway.post(`/api/v1/tasks/${taskId}/ack`).set('X-Request-Id', 'req-edges-ack')).status).toBe(200);
      const returned = await railway
        .post(`/api/v1/tasks/${taskId}/return`, { reason: '本单位不办理' })
        .set('X-Request-Id', 'req-edges-return');
      expect(returned.status).toBe(200);
      const reassigned = await office
        .post(`/api/v1/tasks/${taskId}/reassignment`, { organization: RAILWAY, reason: '仍由本单位办理' })
        .set('X-Request-Id', 'req-edges-reassign');
      expect(reassigned.status).toBe(200);

      const one = async (requestId: string) => {
        const records = await trail(`requestId=${requestId}`);
        expect(records).toHaveLength(1);
        return records[0];
      };
      const feedItems = feed.body.items as { cursor: string }[];
      expect(await one('req-edges-list')).toMatchObject({
        action: 'task.list',
        objectType: 'task',
        organization: RAILWAY,
        objectId: expect.stringMatching(/^seq \d+\.\.\d+ \(\d+\)$/),
      });
      expect(await one('req-edges-one')).toMatchObject({ action: 'task.read', objectType: 'task', objectId: taskId });
      expect(await one('req-edges-feed')).toMatchObject({
        action: 'task-feed.read',
        objectType: 'task-feed',
        objectId: expect.stringMatching(new RegExp(`\\(${feedItems.length}\\)$`)),
      });
      const streamed = await waitFor('the stream’s read recorded', async () => {
        const records = await trail('requestId=req-edges-stream');
        return records.length > 0 ? records : undefined;
      });
      expect(streamed.every((r) => r.action === 'task-feed.read' && r.organization === RAILWAY)).toBe(true);
      expect(streamed.length).toBeLessThan(feedItems.length); // per batch, not per item
      expect(await one('req-edges-ack')).toMatchObject({ action: 'task.acknowledge', objectId: taskId });
      expect(await one('req-edges-return')).toMatchObject({ action: 'task.return', objectId: taskId });
      expect(await one('req-edges-reassign')).toMatchObject({
        action: 'task.reassign',
        objectId: taskId,
        organization: OFFICE,
      });
    });
  });
});

describe('the per-address limit, before authentication', () => {
  const env = testEnvironment(uniquePrefix('addr'), {
    JRP_TRUSTED_PROXIES: PROXY,
    JRP_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '20',
  });
  let app: INestApplication;
  let port: number;

  beforeAll(async () => {
    app = await createStandaloneApp(testConfig(env));
    await app.listen(0, '127.0.0.1');
    port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
    await cleanUp(env);
  });

  it('answers invalid tokens 429 once an address has used its share, keyed by the client address after the trusted proxy', async () => {
    const admin = new ApiClient(app, env.JRP_ADMIN_TOKEN!);
    const valid = await admin.tokenOf(RAILWAY); // from 127.0.0.1: one request of its share
    const invalid = `${valid.slice(0, -4)}AAAA`;
    const attempt = (from: string, token: string, forwardedFor?: string, requestId?: string) =>
      call(port, '/api/v1/tasks', {
        from,
        headers: {
          ...bearer(token),
          ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}),
          ...(requestId ? { 'X-Request-Id': requestId } : {}),
        },
      });
    // from a trusted proxy, for one client: 20 answers, then 429 (no minute is waited for: the first 20 never are)
    const client = '203.0.113.21';
    const answers: Answer[] = [];
    for (let n = 0; n < 30; n++) answers.push(await attempt(PROXY, invalid, client, `req-addr-${n}`));
    expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(401));
    const limited = answers.slice(20).filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(9);
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThan(0);
    // a valid token from that client waits too; another client behind the same proxy has its own share
    expect((await attempt(PROXY, valid, client)).status).toBe(429);
    expect((await attempt(PROXY, valid, '203.0.113.22')).status).toBe(200);
    // a forged X-Forwarded-For from an untrusted peer does not escape its address's share
    const forged: number[] = [];
    for (let n = 0; n < 25; n++) forged.push((await attempt('127.0.0.1', invalid, `198.51.100.${n}`)).status);
    expect(forged.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    // the refusals are in the trail, 429s as rate-limited, with their request ids
    await app.get(RefusedRequests).flush();
    // read by a client with a share left (127.0.0.1 has used its own)
    const res = await call(port, '/api/v1/admin/audit?action=request.refused&limit=500', {
      from: PROXY,
      headers: { ...bearer(env.JRP_ADMIN_TOKEN!), 'X-Forwarded-For': '203.0.113.23' },
    });
    expect(res.status).toBe(200);
    const items = (JSON.parse(res.body) as { items: AuditRecord[] }).items;
    const records = items.filter((r) => r.sourceAddress === client);
    const answered = Object.fromEntries(answers.map((a, n) => [`req-addr-${n}`, a.status]));
    for (const record of records.filter((r) => r.requestId.startsWith('req-addr-')))
      expect(record.outcome).toBe(answered[record.requestId] === 429 ? 'rate-limited' : 'unauthorized');
    expect(records.filter((r) => r.outcome === 'rate-limited').length).toBeGreaterThanOrEqual(9);
  });
});

describe('the audit trail, as the services’ database role', () => {
  const env = testEnvironment(uniquePrefix('trail'));
  const prefix = env.JRP_DB_SCHEMA_PREFIX!;
  const role = serviceRole(`${prefix}measures`);
  const password = `pw-${prefix}`.padEnd(24, 'x');
  let client: Client;

  beforeAll(async () => {
    // as `npm run migrate` does it: the owner migrates, the service gets a role of its own
    await runMigrate(
      parseMigrateArgs(['--service', 'measures']),
      { DATABASE_URL: env.DATABASE_URL, JRP_DB_SCHEMA_PREFIX: prefix, JRP_MEASURES_DB_PASSWORD: password },
      () => undefined,
    );
    const url = new URL(env.DATABASE_URL!);
    url.username = role;
    url.password = password;
    client = new Client({ connectionString: url.toString(), options: `-c search_path=${prefix}measures` });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await cleanUp(env);
    const owner = new Client({ connectionString: env.DATABASE_URL });
    await owner.connect();
    await owner.query(`DROP OWNED BY "${role}"; DROP ROLE IF EXISTS "${role}"`).finally(() => owner.end());
  });

  const refused = (sql: string) =>
    client.query(sql).then(
      () => 'allowed',
      (error: Error) => error.message,
    );

  it('appends and reads records, and can neither change, delete, truncate, disable the triggers of nor drop them', async () => {
    const insert = await client.query(
      `INSERT INTO audit_trail (record_id, service, action, object_type, object_id, organization, token_id,
         request_id, source_address, at, outcome)
       VALUES (gen_random_uuid(), 'measures', 'test.append', 'test', '1', 'anonymous', '', 'req-trail', '', now(), 'success')`,
    );
    expect(insert.rowCount).toBe(1);
    expect((await client.query(`SELECT 1 FROM audit_trail WHERE request_id = 'req-trail'`)).rowCount).toBe(1);
    expect(await refused(`UPDATE audit_trail SET action = 'x'`)).toMatch(/permission denied for table audit_trail/);
    expect(await refused(`DELETE FROM audit_trail`)).toMatch(/permission denied for table audit_trail/);
    expect(await refused(`TRUNCATE audit_trail`)).toMatch(/permission denied for table audit_trail/);
    expect(await refused(`ALTER TABLE audit_trail DISABLE TRIGGER audit_trail_no_update`)).toMatch(/must be owner/);
    expect(await refused(`ALTER TABLE audit_trail DISABLE TRIGGER ALL`)).toMatch(/must be owner/);
    expect(await refused(`DROP TRIGGER audit_trail_no_truncate ON audit_trail`)).toMatch(/must be owner/);
    expect(await refused(`DROP TABLE audit_trail`)).toMatch(/must be owner/);
    expect(await refused(`ALTER TABLE audit_trail OWNER TO CURRENT_USER`)).toMatch(/must be owner/);
    expect(await refused(`SELECT setval('audit_trail_seq_seq', 1)`)).toMatch(/permission denied/);
    // the rest of its schema stays its to write
    expect(await refused(`UPDATE tokens SET label = label WHERE false`)).toBe('allowed');
    const record = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_trail`);
    expect(record.rows[0].n).toBeGreaterThan(0);
  });

  it('takes the audit trail back from a service role that owned it (a schema it had migrated itself)', async () => {
    const owner = new Client({ connectionString: env.DATABASE_URL });
    await owner.connect();
    try {
      await owner.query(`ALTER TABLE "${prefix}measures".audit_trail OWNER TO "${role}"`);
      expect(await refused(`ALTER TABLE audit_trail DISABLE TRIGGER audit_trail_no_update`)).toBe('allowed');
      await owner.query(`ALTER TABLE "${prefix}measures".audit_trail ENABLE TRIGGER audit_trail_no_update`);
      await runMigrate(
        parseMigrateArgs(['--service', 'measures']),
        { DATABASE_URL: env.DATABASE_URL, JRP_DB_SCHEMA_PREFIX: prefix, JRP_MEASURES_DB_PASSWORD: password },
        () => undefined,
      );
      const owned = await owner.query<{ owner: string }>(
        `SELECT tableowner AS owner FROM pg_tables WHERE schemaname = $1 AND tablename = 'audit_trail'`,
        [`${prefix}measures`],
      );
      expect(owned.rows[0].owner).not.toBe(role);
      expect(await refused(`ALTER TABLE audit_trail DISABLE TRIGGER audit_trail_no_update`)).toMatch(/must be owner/);
      expect(await refused(`DELETE FROM audit_trail`)).toMatch(/permission denied/);
    } finally {
      await owner.end();
    }
  });
});
