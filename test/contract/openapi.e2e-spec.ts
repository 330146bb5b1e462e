import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useStandalone } from '../support/standalone';

const CLIENT_TYPES = join(__dirname, '..', '..', 'libs', 'api-client', 'src', 'jrp-api.ts');
const HEADER =
  '// Generated from the OpenAPI document by openapi-typescript. Do not edit: run\n// `JRP_UPDATE_API_CLIENT=1 npx jest test/contract/openapi` after changing the API.\n\n';

/** Actions that take no body: the path and the caller say it all. */
const BODILESS = [
  'POST /api/v1/tasks/{id}/ack',
  'POST /api/v1/subscriptions/{id}/secret',
  'POST /api/v1/subscriptions/{id}/enable',
  'POST /api/v1/feedback/cases/{id}/publication',
];

type Operation = {
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

/**
 * The OpenAPI document is the contract with departments' systems: every operation documents what it
 * takes and what it answers, every schema it names exists, and the typed client generated from it
 * (libs/api-client) is up to date.
 */
describe('the OpenAPI document', () => {
  const suite = useStandalone('openapi');
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    const res = await suite.api.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );

  it('documents a success answer with a schema for every operation', () => {
    // a 204 (No Content) answers nothing, by definition; every other success has a schema
    const missing = operations().filter(
      ({ op }) =>
        !Object.entries(op.responses).some(
          ([code, r]) => code === '204' || (/^2/.test(code) && Object.values(r.content ?? {}).some((c) => c.schema)),
        ),
    );
    expect(missing.map((o) => o.route)).toEqual([]);
    expect(operations().length).toBeGreaterThan(60);
  });

  it('documents the body of every operation that takes one', () => {
    const missing = operations().filter(
      ({ route, op }) => /^(POST|PUT|PATCH) /.test(route) && !op.requestBody && !BODILESS.includes(route),
    );
    expect(missing.map((o) => o.route)).toEqual([]);
  });

  it('documents the error answers as problem details', () => {
    expect(
      operations()
        .filter(({ op }) => !op.responses.default?.content?.['application/problem+json'])
        .map((o) => o.route),
    ).toEqual([]);
  });

  it('names only schemas it defines', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(50);
    expect([...new Set(refs)].filter((name) => !(name in doc.components.schemas))).toEqual([]);
  });

  it('has an up-to-date typed client (libs/api-client)', () => {
    // openapi-typescript is ESM inside: run its command line, as a maintainer would
    const dir = mkdtempSync(join(tmpdir(), 'jrp-openapi-'));
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
    execFileSync(
      process.execPath,
      [
        join(__dirname, '..', '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
        join(dir, 'openapi.json'),
        '-o',
        join(dir, 'jrp-api.ts'),
      ],
      { stdio: 'pipe' },
    );
    const generated = HEADER + readFileSync(join(dir, 'jrp-api.ts'), 'utf8');
    if (process.env.JRP_UPDATE_API_CLIENT) writeFileSync(CLIENT_TYPES, generated);
    expect(readFileSync(CLIENT_TYPES, 'utf8')).toBe(generated);
  });
});
