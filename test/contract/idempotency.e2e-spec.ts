import { INestApplication, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { IdempotencyInterceptor } from '@jrp/http';
import { makeUscc } from '@jrp/testing';
import { useStandalone } from '../support/standalone';

const WRITES = [RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE];

interface WriteRoute {
  route: string;
  /** The interceptors bound to it, outermost first (the controller's, then the method's). */
  interceptors: unknown[];
}

/** Every write route the application serves, with the interceptors Nest binds to it. */
function writeRoutes(app: INestApplication): WriteRoute[] {
  const routes: WriteRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const onClass = (Reflect.getMetadata(INTERCEPTORS_METADATA, controller) ?? []) as unknown[];
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined || !WRITES.includes(method)) continue;
        const path = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
        routes.push({
          route: `${RequestMethod[method]} /api/v1/${[base, path].filter((p) => p && p !== '/').join('/')}`,
          interceptors: [...onClass, ...((Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[])],
        });
      }
    }
  }
  return routes.filter((r, i, all) => all.findIndex((o) => o.route === r.route) === i);
}

/**
 * `Idempotency-Key` on every write of every service: the table of write routes is read from the running
 * application (as the authorisation matrix reads its routes), so a new write route without the
 * interceptor fails here; measures' writes, JSON and uploads, replay their first answer.
 */
describe('idempotency keys on every write', () => {
  const suite = useStandalone('idem');

  it('binds the interceptor to every write route, after the file interceptor of an upload', () => {
    const routes = writeRoutes(suite.app);
    // the table is complete: the same write routes as the HTTP server routes
    const express = suite.app.getHttpAdapter().getInstance();
    const served = (express.router.stack as { route?: { path: string; methods: Record<string, boolean> } }[])
      .flatMap((layer) =>
        layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : [],
      )
      .filter((route) => /^(POST|PUT|PATCH|DELETE) \/api\/v1\//.test(route));
    expect(routes.map((r) => r.route).sort()).toEqual([...new Set(served)].sort());
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !r.interceptors.includes(IdempotencyInterceptor)).map((r) => r.route)).toEqual([]);
    // an upload is hashed with its file's bytes: the file must be parsed before the key is looked up
    const uploads = routes.filter((r) => r.interceptors.length > 1);
    expect(uploads.map((r) => r.route).sort()).toEqual([
      'POST /api/v1/catalogue/draft/import',
      'POST /api/v1/checks/batch',
      'POST /api/v1/lists/imports',
    ]);
    for (const upload of uploads) expect(upload.interceptors.indexOf(IdempotencyInterceptor)).toBe(1);
  });

  const keyed = async (
    code: string,
    method: 'post' | 'put',
    path: string,
    key: string,
    body: object | ((req: ReturnType<ReturnType<typeof suite.api.http>['post']>) => unknown),
  ) => {
    const token = code === 'admin' ? suite.env.JRP_ADMIN_TOKEN! : await suite.api.tokenOf(code);
    const req = suite.api.http()[method](path).set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key);
    return typeof body === 'function' ? ((await body(req)) as Awaited<typeof req>) : req.send(body);
  };

  it.each([
    {
      name: 'a counter check (measures)',
      code: 'AH-RAILWAY',
      method: 'post' as const,
      path: '/api/v1/checks',
      body: { subject: { uscc: makeUscc(7701) }, businessType: '购票', reference: 'idem-1' },
      changed: { subject: { uscc: makeUscc(7702) }, businessType: '购票', reference: 'idem-1' },
      count: ['measures', 'SELECT * FROM checks WHERE reference = $1', ['idem-1']] as const,
    },
    {
      name: 'a token issued (measures, admin)',
      code: 'admin',
      method: 'post' as const,
      path: '/api/v1/admin/organizations/AH-RAILWAY/tokens',
      body: { label: 'idem-token', expiresInDays: 30 },
      changed: { label: 'idem-token-2', expiresInDays: 30 },
      count: ['measures', 'SELECT * FROM tokens WHERE label = $1', ['idem-token']] as const,
    },
  ])(
    'replays $name: the first answer once, 422 for another body',
    async ({ code, method, path, body, changed, count }) => {
      const key = `idem-${path}`;
      const first = await keyed(code, method, path, key, body);
      expect(first.status).toBeLessThan(300);
      const again = await keyed(code, method, path, key, body);
      expect(again.status).toBe(first.status);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const other = await keyed(code, method, path, key, changed);
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({ code: 'idempotency-key-reused' });
      const [schema, sql, params] = count;
      expect(await suite[schema].count(sql, [...params])).toBe(1);
    },
  );

  it('replays an upload with the same file, and refuses the same key with another file', async () => {
    const office = await suite.api.tokenOf('AH-CREDIT-OFFICE');
    const exported = await suite.api
      .http()
      .get('/api/v1/catalogue/versions/1?format=xlsx')
      .set('Authorization', `Bearer ${office}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(exported.status).toBe(200);
    const workbook = exported.body as Buffer;
    const upload = (file: Buffer, name: string) =>
      keyed('AH-CREDIT-OFFICE', 'post', '/api/v1/catalogue/draft/import', 'idem-draft-import', (req) =>
        req.attach('file', file, name),
      );
    const first = await upload(workbook, 'catalogue.xlsx');
    expect(first.status).toBe(201);
    const again = await upload(workbook, 'catalogue.xlsx');
    expect([again.status, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(again.body).toEqual(first.body);
    // the same field name and file name, other bytes: another request
    const changed = Buffer.concat([
      workbook.subarray(0, workbook.length - 1),
      Buffer.from([workbook[workbook.length - 1] ^ 1]),
    ]);
    expect((await upload(changed, 'catalogue.xlsx')).status).toBe(422);
  });
});
