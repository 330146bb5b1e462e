import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { uniquePrefix, waitFor } from '@jrp/testing';
import { COURT, courtEntry, MARKET, OFFICE, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

interface Received {
  headers: Record<string, string>;
  body: string;
}

type Answer = number | 'hang';

/** A department's receiver on this machine: records what arrives and answers as `answer` says. */
class Receiver {
  readonly received: Received[] = [];
  /** Requests held open without an answer (a receiver that never answers in time). */
  readonly hanging: ServerResponse[] = [];
  answer: (n: number) => Answer = () => 204;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(host = '127.0.0.1'): Promise<Receiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const receiver = new Receiver(server, `http://${host}:${(server.address() as AddressInfo).port}/jrp/hook?via=test`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        receiver.received.push({
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = receiver.answer(receiver.received.length);
        if (answer === 'hang') receiver.hanging.push(res);
        else res.writeHead(answer).end();
      });
    });
    return receiver;
  }

  /** The parsed bodies, in arrival order. */
  get bodies(): {
    type: string;
    timestamp: string;
    data: { cursor: string; type: string; task: { id: string; entryId: string; version: number } };
  }[] {
    return this.received.map((r) => JSON.parse(r.body));
  }

  get ids(): string[] {
    return this.received.map((r) => r.headers['webhook-id']);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * Signed webhooks (Standard Webhooks) on a real broker: verified with the official library, retried on
 * a fast schedule, disabled by 410 or when the schedule is spent, replayed under the same ids, secrets
 * rotated with an overlap, targets checked before any connection, one slow receiver delaying nobody
 * else, and each organisation reaching only its own subscriptions.
 */
describe('webhooks', () => {
  const topics = uniquePrefix('webhooks').replace(/_/g, '-');
  const suite = useStandalone('webhooks', {
    JRP_BUS: 'kafka',
    JRP_TOPIC_PREFIX: topics.slice(0, -1),
    JRP_WEBHOOK_RETRY_SCHEDULE: '1,1,1',
    JRP_WEBHOOK_ALLOWED_TARGETS: '127.0.0.1',
  });
  let serial = 9000;
  const receivers: Receiver[] = [];

  afterEach(async () => {
    // each test's subscriptions go with it, so later changes reach only the next test's receivers
    const railway = await suite.api.tokenOf(RAILWAY);
    const mine = (await (await suite.api.as(RAILWAY)).get('/api/v1/subscriptions')).body.items as { id: string }[];
    for (const { id } of mine)
      await suite.api.http().delete(`/api/v1/subscriptions/${id}`).set('Authorization', `Bearer ${railway}`);
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  async function receiver(host?: string): Promise<Receiver> {
    const r = await Receiver.start(host);
    receivers.push(r);
    return r;
  }

  async function subscribe(
    url: string,
    types = ['dispatched', 'updated', 'revoked'],
    by = RAILWAY,
  ): Promise<{ id: string; secret: string }> {
    const res = await (await suite.api.as(by)).post('/api/v1/subscriptions', { url, types });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Publishes a court entry: the railway gets a task for it. */
  async function publish(): Promise<string> {
    const res = await (await suite.api.as(COURT)).post('/api/v1/lists/entries', courtEntry(serial++));
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const railwayFeed = async () =>
    (await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=1000')).body.items as {
      cursor: string;
      type: string;
      task: { entryId: string };
    }[];

  const deliveriesOf = async (id: string, by = RAILWAY) =>
    (await (await suite.api.as(by)).get(`/api/v1/subscriptions/${id}/deliveries`)).body.items as {
      webhookId: string;
      changeCursor: string;
      changeType: string;
      attempt: number;
      statusCode: number | null;
      error: string | null;
      latencyMs: number;
      succeeded: boolean;
    }[];

  const subscriptionOf = async (id: string) =>
    (await (await suite.api.as(RAILWAY)).get(`/api/v1/subscriptions/${id}`)).body;

  const verify = (secret: string, r: Received) => new Webhook(secret).verify(r.body, r.headers);

  it('makes a subscription with a secret shown once and stored encrypted, and refuses bad input field by field', async () => {
    const target = await receiver();
    const railway = await suite.api.as(RAILWAY);
    const created = await railway.post('/api/v1/subscriptions', { url: target.url, types: ['dispatched', 'revoked'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      organization: RAILWAY,
      url: target.url,
      types: ['dispatched', 'revoked'],
      status: 'active',
      statusLabel: '启用',
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // never shown again, and not stored as it is
    const shown = await railway.get(`/api/v1/subscriptions/${created.body.id}`);
    expect(shown.status).toBe(200);
    expect(JSON.stringify(shown.body)).not.toContain(created.body.secret.slice(6));
    const listed = await railway.get('/api/v1/subscriptions');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret.slice(6));
    const [stored] = await suite.measures.query<{ secret: string }>(
      `SELECT secret FROM webhook_subscriptions WHERE id = $1`,
      [created.body.id],
    );
    expect(stored.secret).toMatch(/^v1\.s4\./);
    expect(stored.secret).not.toContain(created.body.secret.slice(6));

    const bad = async (body: object) => {
      const res = await railway.post('/api/v1/subscriptions', body);
      expect(res.status).toBe(400);
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await bad({ url: target.url, types: ['dispatched', 'deleted'] })).toEqual(['types']);
    expect(await bad({ url: target.url, types: [] })).toEqual(['types']);
    expect(await bad({ types: ['dispatched'] })).toEqual(['url']);
    expect(await bad({ url: target.url, types: ['dispatched'], secret: 'mine' })).toEqual(['secret']);
    expect(await bad({ url: 'ftp://127.0.0.1/x', types: ['dispatched'] })).toEqual(['url']);
    expect(await bad({ url: 'http://user:pw@127.0.0.1/x', types: ['dispatched'] })).toEqual(['url']);
    // only implementers subscribe
    expect(
      (
        await (
          await suite.api.as('AH-C340100')
        ).post('/api/v1/subscriptions', { url: target.url, types: ['dispatched'] })
      ).status,
    ).toBe(403);
  });

  it('delivers the changes of the subscribed types, signed: the official standardwebhooks library verifies them', async () => {
    const all = await receiver();
    const revocations = await receiver();
    const sub = await subscribe(all.url);
    const onlyRevoked = await subscribe(revocations.url, ['revoked']);
    const entryId = await publish();

    await waitFor('the dispatched task delivered', () => Promise.resolve(all.received.length >= 1), 30000);
    const [delivery] = all.received;
    const payload = verify(sub.secret, delivery) as {
      type: string;
      timestamp: string;
      data: { cursor: string; task: { entryId: string } };
    };
    expect(payload.type).toBe('task.dispatched');
    expect(payload.data.task.entryId).toBe(entryId);
    expect(delivery.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(() => verify(onlyRevoked.secret, delivery)).toThrow(/No matching signature/);
    // the data is the change exactly as the feed shows it
    const item = (await railwayFeed()).find((i) => i.task.entryId === entryId && i.type === 'dispatched');
    expect(payload.data).toEqual(item);
    expect(payload.timestamp).toBe((item as unknown as { task: { changedAt: string } }).task.changedAt);

    const log = await waitFor('the delivery logged', async () => {
      const items = await deliveriesOf(sub.id);
      return items.length === 1 ? items : undefined;
    });
    expect(log[0]).toMatchObject({
      webhookId: delivery.headers['webhook-id'],
      changeCursor: item!.cursor,
      changeType: 'dispatched',
      attempt: 1,
      statusCode: 204,
      error: null,
      succeeded: true,
    });
    expect(log[0].latencyMs).toBeGreaterThanOrEqual(0);
    await waitFor('the cursor past the change', async () => (await subscriptionOf(sub.id)).cursor === item!.cursor);

    // the revocation reaches both; the revocations-only subscription never saw the dispatch
    const removed = await (
      await suite.api.as(COURT)
    ).post(`/api/v1/lists/entries/${entryId}/transitions`, { action: 'remove', reason: '已履行', at: '2026-11-20' });
    expect(removed.status).toBe(200);
    await waitFor(
      'the revocation delivered to both',
      () => Promise.resolve(all.received.length >= 2 && revocations.received.length >= 1),
      30000,
    );
    expect(all.bodies.map((b) => b.type)).toEqual(['task.dispatched', 'task.revoked']);
    expect(revocations.bodies.map((b) => [b.type, b.data.task.entryId])).toEqual([['task.revoked', entryId]]);
    expect(verify(onlyRevoked.secret, revocations.received[0])).toMatchObject({ type: 'task.revoked' });
  });

  it('retries a failing receiver on the schedule: three failures, then the change is accepted once, and the log shows four attempts', async () => {
    const flaky = await receiver();
    flaky.answer = (n) => (n <= 3 ? 500 : 200);
    const sub = await subscribe(flaky.url, ['dispatched']);
    const [first, second] = [await publish(), await publish()];

    await waitFor('both changes accepted', () => Promise.resolve(flaky.received.length >= 5), 30000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more comes: both were accepted
    expect(flaky.received).toHaveLength(5);
    // four attempts at the first change in the feed, under one webhook id, every one signed
    const [head, ...rest] = flaky.ids;
    expect(rest.slice(0, 3)).toEqual([head, head, head]);
    expect(rest[3]).not.toBe(head);
    for (const r of flaky.received) expect(verify(sub.secret, r)).toBeTruthy();
    // strictly in feed order: the second change waited behind the first (head of line)
    const cursors = flaky.bodies.map((b) => b.data.cursor);
    const feed = (await railwayFeed()).filter(
      (i) => i.type === 'dispatched' && [first, second].includes(i.task.entryId),
    );
    expect([cursors[0], cursors[4]]).toEqual(feed.map((i) => i.cursor));

    const log = await deliveriesOf(sub.id);
    expect(log.map((d) => [d.attempt, d.statusCode, d.succeeded])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, false],
      [4, 200, true],
      [1, 200, true],
    ]);
    expect(new Set(log.slice(0, 4).map((d) => d.webhookId))).toEqual(new Set([head]));
    expect(await subscriptionOf(sub.id)).toMatchObject({ status: 'active', failedAttempts: 0, cursor: feed[1].cursor });
  });

  it('disables a subscription whose receiver answers 410 Gone at once; the office sees it; its owner enables it again where it stopped', async () => {
    const gone = await receiver();
    gone.answer = () => 410;
    const sub = await subscribe(gone.url, ['dispatched']);
    await publish();
    const disabled = await waitFor(
      'the subscription disabled',
      async () => {
        const s = await subscriptionOf(sub.id);
        return s.status === 'disabled' ? s : undefined;
      },
      30000,
    );
    expect(disabled).toMatchObject({ statusLabel: '已停用', disabledReason: 'gone', disabledAt: expect.any(String) });
    expect(gone.received).toHaveLength(1);
    expect((await deliveriesOf(sub.id)).map((d) => [d.attempt, d.statusCode, d.succeeded])).toEqual([[1, 410, false]]);

    const office = await suite.api.as(OFFICE);
    const seen = await office.get('/api/v1/subscriptions?status=disabled');
    expect(seen.status).toBe(200);
    expect(seen.body.items.find((s: { id: string }) => s.id === sub.id)).toMatchObject({
      organization: RAILWAY,
      status: 'disabled',
      disabledReason: 'gone',
    });
    expect(
      (await office.get('/api/v1/subscriptions?status=active')).body.items.map((s: { id: string }) => s.id),
    ).not.toContain(sub.id);
    // the office cannot change it; another implementer does not see it
    expect((await office.post(`/api/v1/subscriptions/${sub.id}/enable`)).status).toBe(404);
    expect((await (await suite.api.as(MARKET)).get('/api/v1/subscriptions?status=disabled')).body.items).toEqual([]);

    // enabled again, it resumes with the change it stopped at, under the same webhook id
    gone.answer = () => 200;
    const enabled = await (await suite.api.as(RAILWAY)).post(`/api/v1/subscriptions/${sub.id}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ status: 'active', failedAttempts: 0 });
    expect(enabled.body.disabledReason).toBeUndefined();
    await waitFor('the change delivered after enabling', () => Promise.resolve(gone.received.length >= 2), 30000);
    expect(gone.ids[1]).toBe(gone.ids[0]);
    await waitFor('the success logged', async () => (await deliveriesOf(sub.id)).some((d) => d.succeeded));
  });

  it('disables a subscription once every retry of the schedule has failed', async () => {
    const broken = await receiver();
    broken.answer = () => 503;
    const sub = await subscribe(broken.url, ['dispatched']);
    await publish();
    const disabled = await waitFor(
      'the subscription disabled',
      async () => {
        const s = await subscriptionOf(sub.id);
        return s.status === 'disabled' ? s : undefined;
      },
      30000,
    );
    expect(disabled).toMatchObject({
      disabledReason: 'retries-exhausted',
      disabledDetail: '4 attempts at one change failed, the last: HTTP 503',
    });
    expect(broken.received).toHaveLength(4);
    expect((await deliveriesOf(sub.id)).map((d) => d.attempt)).toEqual([1, 2, 3, 4]);
  });

  it('refuses private, local and metadata targets before any connection unless an allow-list permits them, and checks again at delivery', async () => {
    const railway = await suite.api.as(RAILWAY);
    for (const url of [
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://127.0.0.2:8080/hook',
      'http://[::1]/hook',
      'http://192.168.1.10/hook',
      'http://100.64.0.1/hook',
      // IPv6 spellings of loopback and metadata addresses
      'http://[::ffff:127.0.0.2]/hook',
      'http://[::ffff:7f00:2]/hook',
      'http://[::ffff:0:7f00:2]/hook',
      'http://[::ffff:a9fe:a9fe]/latest/meta-data',
      'http://[fd00:ec2::254]/latest/meta-data',
    ]) {
      const res = await railway.post('/api/v1/subscriptions', { url, types: ['dispatched'] });
      expect(res.status).toBe(400);
      // "target not allowed", never what the address is or what a host resolved to
      expect(res.body.errors).toEqual([{ field: 'url', message: 'target not allowed（不允许的推送目标）' }]);
    }
    expect(await suite.measures.count('SELECT * FROM webhook_subscriptions')).toBe(0);

    // the admin allows the railway one more local address; no one else gains it
    const admin = suite.api.adminToken;
    const put = (code: string, targets: unknown) =>
      suite.api
        .http()
        .put(`/api/v1/admin/organizations/${code}/webhook-targets`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ targets });
    const badEntries = await put(RAILWAY, ['127.0.0.2', 'not a host', '10.0.0.0/99']);
    expect(badEntries.status).toBe(400);
    expect(badEntries.body.errors.map((e: { field: string }) => e.field)).toEqual(['targets.1', 'targets.2']);
    expect((await put('AH-NO-SUCH-ORG', ['127.0.0.2'])).status).toBe(404);
    const allowed = await put(RAILWAY, ['127.0.0.2']);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ organization: RAILWAY, targets: ['127.0.0.2'] });
    expect(
      (
        await suite.api
          .http()
          .get(`/api/v1/admin/organizations/${RAILWAY}/webhook-targets`)
          .set('Authorization', `Bearer ${admin}`)
      ).body.targets,
    ).toEqual(['127.0.0.2']);

    const local = await receiver('127.0.0.2');
    expect(
      (await (await suite.api.as(MARKET)).post('/api/v1/subscriptions', { url: local.url, types: ['dispatched'] }))
        .status,
    ).toBe(400);
    const sub = await subscribe(local.url, ['dispatched']);
    await publish();
    await waitFor('a delivery to the allowed address', () => Promise.resolve(local.received.length >= 1), 30000);
    expect(verify(sub.secret, local.received[0])).toMatchObject({ type: 'task.dispatched' });

    // withdrawn, the address is refused at the next delivery, before connecting
    expect((await put(RAILWAY, [])).body.targets).toEqual([]);
    await publish();
    const refused = await waitFor(
      'the refused attempt logged',
      async () => (await deliveriesOf(sub.id)).find((d) => !d.succeeded),
      30000,
    );
    expect(refused).toMatchObject({
      statusCode: null,
      error: 'target refused before connecting: target not allowed（不允许的推送目标）',
    });
    expect(local.received).toHaveLength(1);
  });

  it('refuses a metadata address whatever the allow-lists say', async () => {
    const admin = suite.api.adminToken;
    const put = (targets: string[]) =>
      suite.api
        .http()
        .put(`/api/v1/admin/organizations/${RAILWAY}/webhook-targets`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ targets });
    expect((await put(['169.254.0.0/16', '169.254.169.254', '100.64.0.0/10', 'fd00::/8'])).status).toBe(200);
    const railway = await suite.api.as(RAILWAY);
    try {
      for (const url of [
        'http://169.254.169.254/latest/meta-data',
        'http://[::ffff:169.254.169.254]/latest/meta-data',
        'http://169.254.170.2/v2/credentials',
        'http://100.100.100.200/latest/meta-data',
        'http://[fd00:ec2::254]/latest/meta-data',
      ]) {
        const res = await railway.post('/api/v1/subscriptions', { url, types: ['dispatched'] });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'url', message: 'target not allowed（不允许的推送目标）' }]);
      }
      // the rest of an allowed range is reachable: the refusal is the metadata address's alone
      const allowed = await railway.post('/api/v1/subscriptions', {
        url: 'http://169.254.10.10/hook',
        types: ['dispatched'],
      });
      expect(allowed.status).toBe(201);
      expect(await suite.measures.count('SELECT * FROM webhook_subscriptions')).toBe(1);
    } finally {
      await put([]);
    }
  });

  it('lets a receiver that never answers delay no other subscription', async () => {
    const slow = await receiver();
    slow.answer = () => 'hang';
    const fast = await receiver();
    const slowSub = await subscribe(slow.url, ['dispatched']);
    const quick = await subscribe(fast.url, ['dispatched']);
    const entries = [await publish(), await publish()];

    // the fast receiver gets both changes while the slow one still holds the first, unanswered
    const slowAtThatMoment = await waitFor(
      'both changes delivered to the fast receiver',
      () =>
        Promise.resolve(fast.received.length >= 2 ? { ids: [...slow.ids], hanging: slow.hanging.length } : undefined),
      30000,
    );
    expect(slowAtThatMoment.ids.length).toBeGreaterThanOrEqual(1);
    expect(new Set(slowAtThatMoment.ids).size).toBe(1);
    expect(slowAtThatMoment.hanging).toBeGreaterThanOrEqual(1);
    expect(fast.bodies.map((b) => b.data.task.entryId).sort()).toEqual([...entries].sort());
    for (const r of fast.received) expect(verify(quick.secret, r)).toBeTruthy();
    expect((await deliveriesOf(slowSub.id)).filter((d) => d.succeeded)).toEqual([]);
  });

  it('replays the changes since a time, in order, under the same webhook ids', async () => {
    const target = await receiver();
    const sub = await subscribe(target.url, ['dispatched']);
    const since = new Date().toISOString();
    await publish();
    await publish();
    await waitFor('two deliveries', () => Promise.resolve(target.received.length >= 2), 30000);
    const firstIds = target.ids.slice(0, 2);

    const railway = await suite.api.as(RAILWAY);
    const replay = await railway.post(`/api/v1/subscriptions/${sub.id}/replay`, { since });
    expect(replay.status).toBe(202);
    expect(replay.body.replayFrom).toEqual(expect.any(String));
    await waitFor('the replayed deliveries', () => Promise.resolve(target.received.length >= 4), 30000);
    expect(target.ids.slice(2)).toEqual(firstIds);
    for (const r of target.received.slice(2)) expect(verify(sub.secret, r)).toBeTruthy();
    expect(target.bodies.slice(2)).toEqual(target.bodies.slice(0, 2));

    // nothing since a later time: nothing to replay
    const none = await railway.post(`/api/v1/subscriptions/${sub.id}/replay`, {
      since: new Date(Date.now() + 60000).toISOString(),
    });
    expect(none.status).toBe(202);
    expect(none.body.replayFrom).toBeNull();
    expect((await railway.post(`/api/v1/subscriptions/${sub.id}/replay`, { since: 'yesterday' })).body.errors).toEqual([
      { field: 'since', message: expect.any(String) },
    ]);
  });

  it('rotates the secret: during the overlap both the new and the old secret verify', async () => {
    const target = await receiver();
    const sub = await subscribe(target.url, ['dispatched']);
    const railway = await suite.api.as(RAILWAY);
    const rotated = await railway.post(`/api/v1/subscriptions/${sub.id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(sub.secret);
    const overlap = new Date(rotated.body.previousSecretExpiresAt).getTime() - Date.now();
    expect(overlap).toBeGreaterThan(23 * 3600 * 1000);
    expect(overlap).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect((await subscriptionOf(sub.id)).previousSecretExpiresAt).toEqual(expect.any(String));

    await publish();
    await waitFor('a delivery', () => Promise.resolve(target.received.length >= 1), 30000);
    const [delivery] = target.received;
    expect(delivery.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(rotated.body.secret, delivery)).toMatchObject({ type: 'task.dispatched' });
    expect(verify(sub.secret, delivery)).toMatchObject({ type: 'task.dispatched' });
  });

  it('answers 404 for another organisation’s subscription and delivery log', async () => {
    const target = await receiver();
    const sub = await subscribe(target.url, ['dispatched']);
    const market = await suite.api.as(MARKET);
    const marketToken = await suite.api.tokenOf(MARKET);
    for (const res of [
      await market.get(`/api/v1/subscriptions/${sub.id}`),
      await market.get(`/api/v1/subscriptions/${sub.id}/deliveries`),
      await market.post(`/api/v1/subscriptions/${sub.id}/secret`),
      await market.post(`/api/v1/subscriptions/${sub.id}/enable`),
      await market.post(`/api/v1/subscriptions/${sub.id}/replay`, { since: new Date(0).toISOString() }),
      await suite.api.http().delete(`/api/v1/subscriptions/${sub.id}`).set('Authorization', `Bearer ${marketToken}`),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await market.get('/api/v1/subscriptions')).body.items).toEqual([]);
    expect((await market.get(`/api/v1/subscriptions?organization=${RAILWAY}`)).status).toBe(403);
    // still there, secret unchanged, for its owner
    const [row] = await suite.measures.query<{ previous_secret: string | null }>(
      `SELECT previous_secret FROM webhook_subscriptions WHERE id = $1`,
      [sub.id],
    );
    expect(row.previous_secret).toBeNull();
    expect((await (await suite.api.as(RAILWAY)).get(`/api/v1/subscriptions/${sub.id}`)).status).toBe(200);
  });
});
