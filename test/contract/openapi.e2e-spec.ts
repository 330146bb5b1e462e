import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useStandalone } from '../support/standalone';

const CLIENT = join(__dirname, '..', '..', 'libs', 'api-client');
const CLIENT_TYPES = join(CLIENT, 'src', 'jrp-api.ts');
/** The published contract: the whole API (all three services), as the one-process mode serves it. */
const CONTRACT = join(CLIENT, 'openapi.json');
const HEADER =
  '// Generated from libs/api-client/openapi.json by openapi-typescript. Do not edit: run\n// `npm run openapi` after changing the API.\n\n';
const update = Boolean(process.env.JRP_UPDATE_API_CLIENT);

/** Actions that take no body: the path and the caller say it all. */
const BODILESS = [
  'POST /api/v1/tasks/{id}/ack',
  'POST /api/v1/subscriptions/{id}/secret',
  'POST /api/v1/subscriptions/{id}/enable',
  'POST /api/v1/feedback/cases/{id}/publication',
];

type Operation = {
  operationId?: string;
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

  it('names every operation for client generators: a unique verb-noun operationId', () => {
    const ids = operations().map(({ route, op }) => ({ route, id: op.operationId ?? '' }));
    // `publishEntry`, `listTaskFeed`: what Java, Python and TypeScript generators turn into method names
    expect(ids.filter(({ id }) => !/^[a-z]+[A-Z][A-Za-z]*$/.test(id) || id.includes('Controller'))).toEqual([]);
    const seen = new Map<string, string>();
    const twice = ids.filter(({ route, id }) => seen.has(id) || !seen.set(id, route));
    expect(twice).toEqual([]);
    expect(ids.find((o) => o.route === 'POST /api/v1/lists/entries')?.id).toBe('publishEntry');
    expect(ids.find((o) => o.route === 'GET /api/v1/tasks/feed')?.id).toBe('listTaskFeed');
  });

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

  it('is published as libs/api-client/openapi.json, equal to what the services serve', () => {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (update) writeFileSync(CONTRACT, text);
    expect(JSON.parse(readFileSync(CONTRACT, 'utf8'))).toEqual(doc);
  });

  it('has an up-to-date typed client built from the published file (libs/api-client)', () => {
    // openapi-typescript is ESM inside: run its command line, as a maintainer would
    const dir = mkdtempSync(join(tmpdir(), 'jrp-openapi-'));
    execFileSync(
      process.execPath,
      [
        join(__dirname, '..', '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
        CONTRACT,
        '-o',
        join(dir, 'jrp-api.ts'),
      ],
      { stdio: 'pipe' },
    );
    const generated = HEADER + readFileSync(join(dir, 'jrp-api.ts'), 'utf8');
    if (update) writeFileSync(CLIENT_TYPES, generated);
    expect(readFileSync(CLIENT_TYPES, 'utf8')).toBe(generated);
  });
});
