import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ListEntryEvents, TaskEvents, Topics } from '@jrp/contracts';
import { cleanUp, NginxHandle, SchemaProbe, startNginx, waitFor } from '@jrp/testing';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';
import { sample } from './support/dead-letters';
import { jsonLogLines, serviceDeployment } from './support/services';
import { taskEvents } from '../support/task-events';

/**
 * Operability of the distributed deployment: the three services as processes on Kafka with JSON logs.
 * One publication's `X-Request-Id` is found in every service that handles its events (outbox rows,
 * CloudEvents, log lines); each process answers its probes and serves its metrics.
 */
describe('correlation ids, JSON logs, probes and metrics: three services on Kafka', () => {
  const d = serviceDeployment('corr', { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
  const schema = (s: string) => new SchemaProbe(d.env.DATABASE_URL!, `${d.prefix}${s}`);
  const lists = schema('list_ingestion');
  const measures = schema('measures');
  const feedback = schema('feedback');
  const admin = { Authorization: `Bearer ${d.env.JRP_ADMIN_TOKEN}` };
  const tokenOf = async (code: string) => {
    const res = await fetch(`${d.measures.url}/api/v1/admin/organizations/${code}/tokens`, {
      method: 'POST',
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: '{}',
    });
    return ((await res.json()) as { token: string }).token;
  };
  const requestId = `ops-${randomUUID()}`;
  let entryId: string;
  let nginx: NginxHandle | undefined;

  beforeAll(async () => {
    await Promise.all([d.measures.start(), d.listIngestion.start(), d.feedback.start()]);
    await waitFor(
      'list types known to list-ingestion',
      async () => (await lists.count('SELECT * FROM known_list_types')) > 0,
      30000,
    );
    const res = await fetch(`${d.listIngestion.url}/api/v1/lists/entries`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await tokenOf(COURT)}`,
        'Content-Type': 'application/json',
        'X-Request-Id': requestId,
      },
      body: JSON.stringify(courtEntry(7001)),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    entryId = ((await res.json()) as { id: string }).id;
    const tasks = await waitFor(
      'tasks of the entry',
      async () => {
        const n = await measures.count('SELECT * FROM tasks WHERE entry_id = $1', [entryId]);
        return n > 0 && n;
      },
      30000,
    );
    await waitFor(
      'feedback knows the tasks',
      async () => (await feedback.count('SELECT * FROM known_tasks WHERE entry_id = $1', [entryId])) === tasks,
      30000,
    );
  });

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all([d.listIngestion, d.measures, d.feedback].map((s) => s.kill('SIGTERM')));
    await cleanUp(d.env);
  });

  it('returns a generated request id when the caller sends none', async () => {
    const res = await fetch(`${d.listIngestion.url}/api/v1/lists/public`);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores the request id with the outbox rows and carries it in the CloudEvents of every service', async () => {
    const listed = await lists.query<{ event_id: string; type: string; correlation: string }>(
      `SELECT event_id, type, envelope->>'correlationid' AS correlation FROM outbox WHERE envelope->'data'->>'entryId' = $1`,
      [entryId],
    );
    expect(listed.map((r) => [r.type, r.correlation])).toEqual([[ListEntryEvents.Listed, requestId]]);
    // measures' task events are sent from its feed (no outbox rows): the correlation id is stored with the feed row
    const dispatched = await taskEvents(measures, 'event_key = $1', [entryId]);
    expect(dispatched.length).toBeGreaterThan(0);
    expect(dispatched.every((r) => r.type === TaskEvents.Dispatched && r.envelope.correlationid === requestId)).toBe(
      true,
    );
  });

  it('writes JSON log lines that share the request id in every service handling its events', async () => {
    const [{ event_id: listedId }] = await lists.query<{ event_id: string }>(
      `SELECT event_id FROM outbox WHERE envelope->'data'->>'entryId' = $1`,
      [entryId],
    );
    const taskEventIds = (await taskEvents(measures, 'event_key = $1', [entryId])).map((r) => r.eventId);
    const logs = Object.fromEntries(
      ['list-ingestion', 'measures', 'feedback'].map((s) => [s, jsonLogLines(join(d.logs, `${s}.log`))]),
    );
    for (const [service, lines] of Object.entries(logs)) {
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) {
        expect(line).toMatchObject({
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          level: expect.any(String),
          service,
          message: expect.any(String),
        });
      }
    }
    const ours = (service: string) => logs[service].filter((l) => l.correlationId === requestId);
    expect(ours('list-ingestion').map((l) => l.message)).toContain('POST /api/v1/lists/entries 201');
    expect(ours('measures')).toContainEqual(
      expect.objectContaining({
        context: 'Consumer:measures',
        eventId: listedId,
        message: `processed ${ListEntryEvents.Listed} ${listedId}`,
      }),
    );
    const feedbackHandled = ours('feedback')
      .filter((l) => l.context === 'Consumer:feedback')
      .map((l) => l.eventId);
    expect(feedbackHandled).toEqual(expect.arrayContaining([listedId, ...taskEventIds]));
    process.stdout.write(
      `request ${requestId}: ${ours('list-ingestion').length} list-ingestion, ${ours('measures').length} measures, ${ours('feedback').length} feedback log lines\n`,
    );
  });

  it('answers liveness and readiness on each process, outside /api/v1', async () => {
    for (const [service, svc] of [
      ['list-ingestion', d.listIngestion],
      ['measures', d.measures],
      ['feedback', d.feedback],
    ] as const) {
      const live = await fetch(`${svc.url}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toMatchObject({ status: 'up' });
      const ready = await fetch(`${svc.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'up',
        checks: { [`database:${service}`]: 'up', 'bus:kafka': 'up', [`outbox:${service}`]: 'up' },
        outboxBacklog: { [service]: 0 },
      });
      expect((await fetch(`${svc.url}/health`)).status).toBe(200);
      expect((await fetch(`${svc.url}/api/v1/health/ready`)).status).toBe(404);
    }
  });

  it('behind the proxy: nginx sets the request id, and routes neither probes nor metrics', async () => {
    nginx = await startNginx({
      listIngestion: `127.0.0.1:${d.listIngestion.port}`,
      measures: `127.0.0.1:${d.measures.port}`,
      feedback: `127.0.0.1:${d.feedback.port}`,
    });
    const proxied = await fetch(`${nginx.url}/api/v1/lists/public`);
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/); // nginx's $request_id, kept by the service
    for (const path of ['/metrics', '/health', '/health/live', '/health/ready'])
      expect((await fetch(`${nginx.url}${path}`)).status).toBe(404);

    // an error's type is dereferenceable through the proxy, whichever service answered the error
    const refused = await fetch(`${nginx.url}/api/v1/reports/completion`);
    const problem = (await refused.json()) as { type: string; code: string };
    expect(problem).toMatchObject({ type: '/api/docs/problems/unauthenticated', code: 'unauthenticated' });
    const described = await fetch(new URL(problem.type, nginx.url), { headers: { Accept: 'application/json' } });
    expect(described.status).toBe(200);
    expect(await described.json()).toMatchObject({
      code: 'unauthenticated',
      status: 401,
      zh: expect.stringMatching(/未认证/),
    });
    const page = await fetch(`${nginx.url}/api/docs/problems`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<tr id="conflict/state">');
    expect(
      (await fetch(`${nginx.url}/api/docs/problems/no-such-kind`, { headers: { Accept: 'application/json' } })).status,
    ).toBe(404);
  });

  it('answers every error as problem details with a stable code, the request id and both languages', async () => {
    const id = `err-${randomUUID()}`;
    const missing = await fetch(`${d.listIngestion.url}/api/v1/lists/imports/${randomUUID()}`, {
      headers: { Authorization: `Bearer ${await tokenOf(COURT)}`, 'X-Request-Id': id },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const chinese = (await missing.json()) as Record<string, string>;
    expect(chinese).toMatchObject({
      type: '/api/docs/problems/not-found',
      code: 'not-found',
      title: '资源不存在或不在调用方可见范围内',
      status: 404,
      requestId: id,
    });
    expect(chinese.detail).toMatch(/^资源不存在或不在调用方可见范围内：/);
    expect(chinese.detailEn).toBeTruthy();
    expect(chinese.detail).toContain(chinese.detailEn);

    const english = (await (
      await fetch(`${d.measures.url}/api/v1/catalogue/versions/999999`, {
        headers: { Authorization: `Bearer ${await tokenOf(RAILWAY)}`, 'Accept-Language': 'en-GB,en;q=0.9,zh;q=0.5' },
      })
    ).json()) as Record<string, string>;
    expect(english).toMatchObject({ code: 'not-found', title: 'No such resource within the caller’s reach' });
    expect(english.detailZh).toMatch(/^资源不存在/);
    expect(english.detailZh).toContain(english.detail);
    expect(english.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const invalid = await fetch(`${d.feedback.url}/api/v1/feedback`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await tokenOf(RAILWAY)}`, 'Content-Type': 'application/json' },
      body: '{"taskId": ',
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'malformed-body', type: '/api/docs/problems/malformed-body' });
  });

  it('serves Prometheus metrics per process: HTTP latency by route pattern, events, lag, backlog, dead letters, process', async () => {
    const missing = randomUUID();
    expect(
      (
        await fetch(`${d.measures.url}/api/v1/tasks/${missing}`, {
          headers: { Authorization: `Bearer ${await tokenOf(RAILWAY)}` },
        })
      ).status,
    ).toBe(404);
    const scrape = async (url: string) => {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };
    const m = await waitFor(
      'measures caught up (lag 0 on every partition it reads, nothing left to send)',
      async () => {
        const text = await scrape(d.measures.url);
        const lag = text.split('\n').filter((l) => l.startsWith('jrp_consumer_lag{') && l.includes('group="measures"'));
        return (
          lag.length >= 3 &&
          lag.every((l) => l.endsWith(' 0')) &&
          sample(text, 'jrp_outbox_backlog', { service: 'measures' }) === 0 &&
          text
        );
      },
      30000,
    );
    expect(
      sample(m, 'jrp_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/tasks/:id',
        status: '404',
      }),
    ).toBe(1);
    expect(m).not.toContain(missing);
    expect(
      sample(m, 'jrp_events_consumed_total', { group: 'measures', type: ListEntryEvents.Listed }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(m, 'jrp_events_published_total', { service: 'measures', type: TaskEvents.Dispatched }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'jrp_consumer_lag', { group: 'measures', topic: Topics.ListEntry, partition: '0' })).toBe(0);
    expect(sample(m, 'jrp_outbox_oldest_unsent_age_seconds', { service: 'measures' })).toBe(0);
    expect(sample(m, 'jrp_dead_letters_pending', { group: 'measures', topic: Topics.ListEntry })).toBe(0);
    expect(m).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(m).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+/m);
    const l = await scrape(d.listIngestion.url);
    expect(
      sample(l, 'jrp_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/lists/entries',
        status: '201',
      }),
    ).toBe(1);
    expect(sample(l, 'jrp_events_published_total', { service: 'list-ingestion', type: ListEntryEvents.Listed })).toBe(
      1,
    );
    const f = await scrape(d.feedback.url);
    expect(
      sample(f, 'jrp_events_consumed_total', { group: 'feedback', type: TaskEvents.Dispatched }),
    ).toBeGreaterThanOrEqual(1);
  });
});
