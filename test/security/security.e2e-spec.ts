import { INestApplication } from '@nestjs/common';
import { createStandaloneApp } from '../../apps/standalone/src/standalone.app';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ID_NUMBER_CONTEXT } from '@jrp/contracts';
import { generateKeySpec } from '@jrp/crypto';
import { rotateDataKeys } from '../../apps/list-ingestion/src/commands/rotate-data-keys';
import { WebhookSecrets } from '../../apps/measures/src/subscriptions/webhook-secrets';
import { parseRotateArgs, runRotateDataKeys } from '../../tools/rotate-data-keys/rotate-data-keys';
import { TokenUsageReporter } from '@jrp/http';
import {
  ApiClient,
  cleanUp,
  makeIdNumber,
  makeUscc,
  personalDataOf,
  testConfig,
  testEnvironment,
  uniquePrefix,
  waitFor,
} from '@jrp/testing';
import { useStandalone } from '../support/standalone';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';

/** The security baseline on the one-process deployment: tokens, audit, personal data, abuse bounds. */
describe('security baseline', () => {
  const suite = useStandalone('sec');
  const { env, lists, measures } = suite;

  const naturalEntry = (n: number) => ({
    ...courtEntry(n),
    subject: { kind: 'natural', name: `测试自然人${n}`, idNumber: makeIdNumber(n) },
  });

  describe('tokens', () => {
    const admin = () => ({ Authorization: `Bearer ${env.JRP_ADMIN_TOKEN}` });

    it('issues several labelled, expiring tokens per organisation and lists them without the secret', async () => {
      const first = await suite.api
        .http()
        .post('/api/v1/admin/organizations/AH-TAX/tokens')
        .set(admin())
        .send({ label: '征管系统', expiresInDays: 30 });
      const second = await suite.api
        .http()
        .post('/api/v1/admin/organizations/AH-TAX/tokens')
        .set(admin())
        .send({ label: '张三 (运维)' });
      expect(first.status).toBe(201);
      expect(new Date(first.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86400000);
      const listed = await suite.api.http().get('/api/v1/admin/organizations/AH-TAX/tokens').set(admin());
      expect(listed.status).toBe(200);
      const ids = listed.body.items.map((t: { id: string }) => t.id);
      expect(ids).toEqual(expect.arrayContaining([first.body.id, second.body.id]));
      expect(JSON.stringify(listed.body)).not.toContain(first.body.token);
      expect(listed.body.items.find((t: { id: string }) => t.id === first.body.id)).toMatchObject({
        label: '征管系统',
        revokedAt: null,
      });
    });

    it('records when a token was last used', async () => {
      const issued = await suite.api
        .http()
        .post('/api/v1/admin/organizations/AH-RAILWAY/tokens')
        .set(admin())
        .send({ label: '售票系统' });
      expect(
        (await suite.api.http().get('/api/v1/tasks/feed').set('Authorization', `Bearer ${issued.body.token}`)).status,
      ).toBe(200);
      await suite.app.get(TokenUsageReporter).flush();
      const token = await waitFor('last use recorded', async () => {
        const res = await suite.api.http().get('/api/v1/admin/organizations/AH-RAILWAY/tokens').set(admin());
        const t = res.body.items.find((x: { id: string }) => x.id === issued.body.id);
        return t?.lastUsedAt ? t : undefined;
      });
      expect(Date.now() - new Date(token.lastUsedAt).getTime()).toBeLessThan(60000);
    });

    it('revokes a token in every service within seconds, and rotation keeps the organisation working', async () => {
      const old = await suite.api
        .http()
        .post('/api/v1/admin/organizations/AH-COURT/tokens')
        .set(admin())
        .send({ label: '旧系统' });
      const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
      const calls = (token: string) => [
        suite.api.http().get('/api/v1/catalogue/list-types').set(auth(token)), // measures
        suite.api.http().get('/api/v1/lists/entries/00000000-0000-4000-8000-000000000000').set(auth(token)), // list-ingestion
        suite.api.http().post('/api/v1/feedback').set(auth(token)).send({}), // feedback
      ];
      expect((await Promise.all(calls(old.body.token))).map((r) => r.status)).toEqual([200, 404, 400]);
      const next = await suite.api
        .http()
        .post('/api/v1/admin/organizations/AH-COURT/tokens')
        .set(admin())
        .send({ label: '新系统' });
      const revoked = await suite.api
        .http()
        .delete(`/api/v1/admin/organizations/AH-COURT/tokens/${old.body.id}`)
        .set(admin());
      expect(revoked.status).toBe(204);
      const started = Date.now();
      await waitFor(
        'refused everywhere',
        async () => (await Promise.all(calls(old.body.token))).every((r) => r.status === 401),
        10000,
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await Promise.all(calls(next.body.token))).map((r) => r.status)).toEqual([200, 404, 400]);
      // another organisation's token id answers 404
      expect(
        (await suite.api.http().delete(`/api/v1/admin/organizations/AH-TAX/tokens/${next.body.id}`).set(admin()))
          .status,
      ).toBe(404);
    });
  });

  describe('audit trail', () => {
    it('records every write and personal read with who, what, when, request id and source address', async () => {
      const court = await suite.api.as(COURT);
      const published = await court
        .post('/api/v1/lists/entries', naturalEntry(40))
        .set('X-Request-Id', 'req-audit-publish-1');
      expect(published.status).toBe(201);
      expect(published.headers['x-request-id']).toBe('req-audit-publish-1');
      const read = await court.get(`/api/v1/lists/entries/${published.body.id}`);
      expect(read.status).toBe(200);
      await court.post(`/api/v1/lists/entries/${published.body.id}/transitions`, {
        action: 'remove',
        reason: '撤销',
        at: '2026-11-20',
      });

      const office = await suite.api.as('AH-CREDIT-OFFICE');
      const trail = await waitFor('three records', async () => {
        const res = await office.get(`/api/v1/admin/audit?objectType=list-entry&objectId=${published.body.id}`);
        return res.body.items.length === 3 ? res.body.items : undefined;
      });
      expect(trail.map((r: { action: string }) => r.action)).toEqual([
        'list-entry.listed',
        'list-entry.read',
        'list-entry.remove',
      ]);
      expect(trail[0]).toMatchObject({
        organization: COURT,
        tokenLabel: 'test',
        requestId: 'req-audit-publish-1',
        service: 'list-ingestion',
        outcome: 'success',
      });
      expect(trail[1].requestId).toBe(read.headers['x-request-id']);
      expect(trail[0].sourceAddress).toMatch(/127\.0\.0\.1|::1/);
      // filters and paging by cursor
      const page = await office.get(`/api/v1/admin/audit?objectId=${published.body.id}&limit=2`);
      expect(page.body.items).toHaveLength(2);
      const rest = await office.get(`/api/v1/admin/audit?objectId=${published.body.id}&after=${page.body.next}`);
      expect(rest.body.items.map((r: { action: string }) => r.action)).toEqual(['list-entry.remove']);
      // departments may not read it
      expect((await (await suite.api.as(RAILWAY)).get('/api/v1/admin/audit')).status).toBe(403);
    });

    it('is append-only, even for someone with database access', async () => {
      await expect(measures.query(`UPDATE audit_trail SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(measures.query(`DELETE FROM audit_trail`)).rejects.toThrow(/append-only/);
      await expect(measures.query(`TRUNCATE audit_trail`)).rejects.toThrow(/append-only/);
    });
  });

  describe('personal data', () => {
    it('keeps ID numbers encrypted in the tables and the outbox, masked in the API', async () => {
      const court = await suite.api.as(COURT);
      const entry = {
        ...courtEntry(41),
        subject: {
          kind: 'legal',
          name: '测试公司41',
          uscc: makeUscc(41),
          legalRepresentative: { name: '王五', idNumber: makeIdNumber(41) },
        },
      };
      const natural = await court.post('/api/v1/lists/entries', naturalEntry(42));
      const legal = await court.post('/api/v1/lists/entries', entry);
      expect([natural.status, legal.status]).toEqual([201, 201]);
      for (const id of [makeIdNumber(41), makeIdNumber(42)]) {
        expect(await lists.count(`SELECT * FROM list_entries e WHERE row_to_json(e)::text LIKE $1`, [`%${id}%`])).toBe(
          0,
        );
        expect(await lists.count(`SELECT * FROM outbox o WHERE row_to_json(o)::text LIKE $1`, [`%${id}%`])).toBe(0);
        expect(await measures.count(`SELECT * FROM tasks t WHERE row_to_json(t)::text LIKE $1`, [`%${id}%`])).toBe(0);
      }
      const [row] = await lists.query<{ enc: string }>(
        `SELECT subject_id_number_encrypted AS enc FROM list_entries WHERE id = $1`,
        [natural.body.id],
      );
      expect(row.enc).toMatch(/^v1\.s4\./); // SM4 by default
      expect(personalDataOf(env).decrypt(row.enc, ID_NUMBER_CONTEXT.subject)).toBe(makeIdNumber(42));
      const shown = await court.get(`/api/v1/lists/entries/${natural.body.id}`);
      expect(shown.body.subject.idNumber).toBe(`${makeIdNumber(42).slice(0, 6)}************`);
    });
  });

  describe('key rotation', () => {
    const k2 = generateKeySpec('k2');

    it('re-encrypts stored ID numbers under a new data key, old data readable meanwhile', async () => {
      const court = await suite.api.as(COURT);
      const entry = await court.post('/api/v1/lists/entries', naturalEntry(44));
      const rotatedEnv = { ...env, JRP_DATA_KEYS: `${k2},${env.JRP_DATA_KEYS}` };
      const rotatedData = personalDataOf(rotatedEnv);
      const dataSource = suite.app.get<DataSource>(getDataSourceToken('list-ingestion'));
      const rotated = await rotateDataKeys(dataSource, rotatedData, 2);
      expect(rotated).toBeGreaterThan(0);
      const [row] = await lists.query<{ enc: string }>(
        `SELECT subject_id_number_encrypted AS enc FROM list_entries WHERE id = $1`,
        [entry.body.id],
      );
      expect(row.enc).toMatch(/^v1\.s4\.k2\./);
      expect(rotatedData.decrypt(row.enc, ID_NUMBER_CONTEXT.subject)).toBe(makeIdNumber(44));
      expect(
        await lists.count(
          `SELECT * FROM list_entries WHERE subject_id_number_encrypted LIKE 'v1.s4.k1.%' OR legal_rep_id_number_encrypted LIKE 'v1.s4.k1.%'`,
        ),
      ).toBe(0);
      expect(await rotateDataKeys(dataSource, rotatedData)).toBe(0); // nothing left
    });

    it('npm run rotate-data-keys covers every encrypted column: ID numbers and webhook secrets', async () => {
      await (await suite.api.as(COURT)).post('/api/v1/lists/entries', naturalEntry(45));
      const allowed = await suite.api
        .http()
        .put(`/api/v1/admin/organizations/${RAILWAY}/webhook-targets`)
        .set('Authorization', `Bearer ${env.JRP_ADMIN_TOKEN}`)
        .send({ targets: ['127.0.0.1'] });
      expect(allowed.status).toBe(200);
      const railway = await suite.api.as(RAILWAY);
      const created = await railway.post('/api/v1/subscriptions', {
        url: 'http://127.0.0.1:9/rotation',
        types: ['revoked'],
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const renewed = await railway.post(`/api/v1/subscriptions/${id}/secret`);
      expect(renewed.status).toBe(200);
      const sealed = async () =>
        (
          await measures.query<{ secret: string; previous: string }>(
            `SELECT secret, previous_secret AS previous FROM webhook_subscriptions WHERE id = $1`,
            [id],
          )
        )[0];
      const before = await sealed();
      const secrets = new WebhookSecrets(testConfig(env));
      const clear = { secret: secrets.open(id, before.secret), previous: secrets.open(id, before.previous) };
      expect(clear.previous).toBe(created.body.secret);

      const k3 = `${generateKeySpec('k3')},${k2},${env.JRP_DATA_KEYS}`; // the test above rotated to k2
      const lines: string[] = [];
      const rotated = await runRotateDataKeys(parseRotateArgs([]), { ...env, JRP_DATA_KEYS: k3 }, (l) => lines.push(l));
      expect(rotated).toBeGreaterThanOrEqual(4);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^list-ingestion list_entries\.subject_id_number_encrypted: [1-9]\d* re-encrypted$/),
          expect.stringMatching(/^measures webhook_subscriptions\.secret: [1-9]\d* re-encrypted$/),
          expect.stringMatching(/^measures webhook_subscriptions\.previous_secret: [1-9]\d* re-encrypted$/),
        ]),
      );
      const after = await sealed();
      expect([after.secret, after.previous].map((v) => v.split('.')[2])).toEqual(['k3', 'k3']);
      const rotatedSecrets = new WebhookSecrets(testConfig({ ...env, JRP_DATA_KEYS: k3 }));
      expect({
        secret: rotatedSecrets.open(id, after.secret),
        previous: rotatedSecrets.open(id, after.previous),
      }).toEqual(clear);
      expect(
        await lists.count(
          `SELECT * FROM list_entries WHERE subject_id_number_encrypted NOT LIKE 'v1.s4.k3.%' OR legal_rep_id_number_encrypted NOT LIKE 'v1.s4.k3.%'`,
        ),
      ).toBe(0);
      // once done, nothing is left; one service at a time with its own role works the same
      expect(
        await runRotateDataKeys(
          parseRotateArgs(['--service', 'measures']),
          { ...env, JRP_DATA_KEYS: k3 },
          () => undefined,
        ),
      ).toBe(0);
      await expect(
        runRotateDataKeys(parseRotateArgs([]), { ...env, JRP_DATA_KEYS: undefined }, () => undefined),
      ).rejects.toThrow(/missing JRP_DATA_KEYS/);
    });
  });

  describe('abuse bounds', () => {
    it('refuses an oversized body with 413 and an unknown field with 400', async () => {
      const court = await suite.api.as(COURT);
      const big = await court.post('/api/v1/lists/entries', { ...courtEntry(43), reason: 'x'.repeat(300 * 1024) });
      expect(big.status).toBe(413);
      expect(big.headers['content-type']).toContain('application/problem+json');
      const unknown = await court.post('/api/v1/lists/entries', { ...courtEntry(43), isAdmin: true });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ field: 'isAdmin', message: 'is not a known field' }]);
    });

    it('sends security headers', async () => {
      const res = await suite.api.http().get('/health');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('bounds page sizes', async () => {
      const res = await (await suite.api.as(RAILWAY)).get('/api/v1/tasks/feed?limit=5000');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('limit');
    });
  });
});

describe('rate limits', () => {
  const env = testEnvironment(uniquePrefix('rate'), { JRP_RATE_LIMIT_PER_MINUTE: '10' });
  let app: INestApplication;

  beforeAll(async () => {
    app = await createStandaloneApp(testConfig(env));
  });

  afterAll(async () => {
    await app?.close();
    await cleanUp(env);
  });

  it('answers 429 with Retry-After under a burst, per token', async () => {
    // the limiter's window slides over two fixed minutes (the earlier one weighted by what is left of
    // it), so a burst that straddles a minute's end is counted as slightly less: start it well inside one
    const second = new Date().getSeconds();
    if (second >= 50) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
    const api = new ApiClient(app, env.JRP_ADMIN_TOKEN!);
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 15; i++) {
      const res = await api
        .http()
        .get('/api/v1/catalogue/list-types')
        .set('Authorization', `Bearer ${env.JRP_ADMIN_TOKEN}`);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers['retry-after'];
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
