import fc from 'fast-check';
import { makeIdNumber, makeUscc, waitFor, IMPORT_HEADERS } from '@jrp/testing';
import { COURT, courtEntry, OFFICE, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

/**
 * Property-based tests of every input route of list-ingestion and of feedback's writes (issue 20):
 * malformed bodies, path parameters and import rows — generated from the OpenAPI document's schemas and
 * by breaking valid requests one field at a time — never answer 5xx, never end an import `failed`
 * because of a row, and a refused request leaves nothing written. A fixed seed and a bounded number of
 * runs per route keep `npm test` short; `JRP_FUZZ_RUNS` (and `JRP_FUZZ_SEED`) for a larger run. A
 * failure prints the request that caused it.
 */
const RUNS = Number(process.env.JRP_FUZZ_RUNS ?? 25);
const SEED = Number(process.env.JRP_FUZZ_SEED ?? 20261203);
const params = (runs = RUNS) => ({ seed: SEED, numRuns: runs, endOnFailure: true, verbose: 1 as const });

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
};
type OpenApi = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

// ---------------------------------------------------------------------------------------------------
// values

/** Texts that have broken, or could break, a store: encodings, dates, numbers, lengths, codes. */
const NASTY_TEXTS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDC00x',
  'x\uD83D',
  '\u0007',
  '\u001B[31m',
  '\u0085',
  '\uFFFF',
  '\uFEFF',
  '😀',
  '𠀀',
  '\u202E',
  'x'.repeat(5000),
  '2026-13-01',
  '2026-02-30',
  '2026-00-10',
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '2026-11-01T25:00:00+08:00',
  '2026-11-01T12:00:00+99:00',
  '+275760-09-13',
  '-1',
  '1e308',
  '12345678901234567890.99',
  '0.001',
  'NaN',
  'Infinity',
  '340000',
  '999999',
  '34010',
  '91350100M000100Y44',
  '11010519491231002X',
  '110105491231002',
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  "'; DROP TABLE list_entries; --",
  '%00',
  '../../etc/passwd',
  '=cmd|/c calc!A1',
  '<script>alert(1)</script>',
];

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const nastyText = fc.oneof(
  fc.constantFrom(...NASTY_TEXTS),
  fc.string({ unit: anyCodeUnit, maxLength: 20 }), // lone surrogates, controls, NUL
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: nastyText },
  fc.constantFrom(0, -1, 1.5, -0, 1e308, -1e308, 2 ** 53, 2 ** 31, true, false, null),
  fc.integer(),
  fc.double(),
  fc.constant([]),
  fc.constant({}),
  fc.array(nastyText, { maxLength: 3 }),
  fc.dictionary(nastyText, nastyText, { maxKeys: 2 }),
);

/** A valid-looking value of a schema (enums, examples, formats), or a nasty one at any level. */
function fromSchema(doc: OpenApi, schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return nastyValue;
  if (schema.$ref) return fromSchema(doc, doc.components.schemas[schema.$ref.split('/').pop()!], depth + 1);
  if (schema.allOf?.length) return fromSchema(doc, schema.allOf[0], depth + 1);
  const valid = ((): fc.Arbitrary<unknown> => {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.type === 'object' || schema.properties) {
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {}))
        shape[key] = fromSchema(doc, child, depth + 1);
      return fc.record(shape, { requiredKeys: [] });
    }
    if (schema.type === 'array') return fc.array(fromSchema(doc, schema.items, depth + 1), { maxLength: 3 });
    if (schema.type === 'integer' || schema.type === 'number')
      return fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double());
    if (schema.type === 'boolean') return fc.boolean();
    if (schema.format === 'uuid') return fc.uuid();
    if (schema.format === 'date-time') return fc.constantFrom('2026-11-20T10:00:00+08:00', '2026-11-20');
    return schema.example !== undefined ? fc.constant(schema.example) : fc.string({ maxLength: 10 });
  })();
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: nastyValue });
}

/** A path segment; a lone surrogate, which encodeURIComponent refuses, as the bytes a client might send. */
const pathSegment = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

type Path = (string | number)[];
function leafPaths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    leafPaths(v, [...prefix, Array.isArray(value) ? Number(k) : k]),
  );
  return prefix.length ? [prefix, ...children] : children;
}
function mutate(base: unknown, mutations: { path: Path; remove: boolean; value: unknown }[]): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  for (const { path, remove, value } of mutations) {
    let target = copy;
    for (const key of path.slice(0, -1)) {
      if (target[key] === null || typeof target[key] !== 'object') break;
      target = target[key] as Record<string | number, unknown>;
    }
    const last = path[path.length - 1];
    if (remove) delete target[last];
    else target[last] = structuredClone(value); // a generated value may be shared (fc.constant({})): never linked
  }
  return copy;
}
/** A valid request broken in one to three places (a field changed, removed, or one added). */
function broken(base: object): fc.Arbitrary<unknown> {
  const paths = [...leafPaths(base), ['unknownField']];
  return fc
    .array(fc.record({ path: fc.constantFrom(...paths), remove: fc.boolean(), value: nastyValue }), {
      minLength: 1,
      maxLength: 3,
    })
    .map((m) => mutate(base, m));
}

// ---------------------------------------------------------------------------------------------------

describe('fuzz: malformed input never fails the server, an import or half a write', () => {
  // the expiry job would change entries between a request and its check: not during this suite
  const suite = useStandalone('fuzz', { JRP_EXPIRY_INTERVAL_MS: '3600000' });
  let doc: OpenApi;
  const ids = { entry: '', watchable: '', objectionEntry: '', objection: '', task: '', feedback: '' };

  /** What a refused request must not have changed. */
  const fingerprint = async () => {
    const [lists] = await suite.lists.query<Record<string, string>>(`SELECT
      (SELECT count(*) FROM list_entries) AS entries,
      (SELECT coalesce(sum(version), 0) FROM list_entries) AS versions,
      (SELECT count(*) FROM list_entry_history) AS history,
      (SELECT count(*) FROM objections) AS objections,
      (SELECT count(*) FROM outbox WHERE type <> 'jrp.audit.recorded') AS outbox`); // refusals are audited (403, 404): not a write of theirs
    const [feedback] = await suite.feedback.query<Record<string, string>>(`SELECT
      (SELECT count(*) FROM feedback) AS feedback,
      (SELECT count(*) FROM feedback_versions) AS versions,
      (SELECT count(*) FROM feedback_items) AS items,
      (SELECT count(*) FROM cases) AS cases`);
    return JSON.stringify({ lists, feedback });
  };

  /** The fingerprint once the writes still in flight (a previous request's, the consumers') have landed. */
  const settled = async () => {
    let last = await fingerprint();
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const now = await fingerprint();
      if (now === last) return now;
      last = now;
    }
    return last;
  };

  const show = (value: unknown) =>
    JSON.stringify(value, (_, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…` : v));

  /** Sends one request and checks the property: no 5xx; a refused request changed nothing. */
  async function check(
    org: string,
    method: 'post' | 'patch',
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const token = await suite.api.tokenOf(org);
    const before = await settled();
    const req = suite.api.http()[method](path).set('Authorization', `Bearer ${token}`);
    const res = await (body === undefined
      ? req
      : req.set('Content-Type', 'application/json').send(JSON.stringify(body)));
    if (res.status >= 500)
      throw new Error(`${method.toUpperCase()} ${path} answered ${res.status} ${show(res.body)} to ${show(body)}`);
    const after = res.status >= 400 ? await fingerprint() : before;
    if (after !== before)
      throw new Error(
        `${method.toUpperCase()} ${path} answered ${res.status} ${show(res.body)} but wrote something (${before} → ${after}), to ${show(body)}`,
      );
    return res;
  }

  const bodySchema = (path: string, method: string) =>
    doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
  const pathParam = fc.oneof(
    { weight: 4, arbitrary: fc.constant('TARGET') },
    fc.uuid(),
    fc.constantFrom(...NASTY_TEXTS.filter((t) => t && !t.includes('/') && t.length < 100)).map(pathSegment),
    fc.constantFrom('%ED%A0%80', '%C0%AF', '%FF', '%', '%00', '..%2F..'), // invalid UTF-8 and escapes as they arrive
  );
  const at = (template: string, id: string, target: string) => template.replace('{id}', id === 'TARGET' ? target : id);

  beforeAll(async () => {
    doc = (await suite.api.http().get('/api/docs-json')).body as OpenApi;
    const office = await suite.api.as(OFFICE);
    // targets published by the office, so the court's fuzzed full pushes never remove them
    ids.entry = (await office.post('/api/v1/lists/entries', courtEntry(60001))).body.id;
    ids.objectionEntry = (await office.post('/api/v1/lists/entries', courtEntry(60002))).body.id;
    ids.watchable = (
      await office.post('/api/v1/lists/entries', {
        listType: 'BL-TAX-MAJOR-CASE',
        subject: { kind: 'legal', name: '模糊测试公司', uscc: makeUscc(60003) },
        reason: '虚开增值税专用发票',
        decidedBy: '国家税务总局安徽省税务局稽查局',
        documentNo: '皖税稽罚〔2026〕60003号',
        listedAt: '2026-10-01',
        region: '340104',
      })
    ).body.id;
    const objection = await office.post(`/api/v1/lists/entries/${ids.objectionEntry}/objections`, {
      statement: '当事人称已履行',
      contact: '13800000000',
    });
    expect(objection.status).toBe(201);
    ids.objection = objection.body.id;
    // a task of the railway for feedback
    const court = await suite.api.as(COURT);
    const published = await court.post('/api/v1/lists/entries', courtEntry(60004));
    ids.task = await waitFor('a railway task known to feedback', async () => {
      const [row] = await suite.feedback.query<{ id: string }>(
        `SELECT id FROM known_tasks WHERE entry_id = $1 AND organization = $2`,
        [published.body.id, RAILWAY],
      );
      return row?.id;
    });
    const feedback = await (
      await suite.api.as(RAILWAY)
    ).post('/api/v1/feedback', {
      taskId: ids.task,
      items: [{ measureId: 'M01-01', outcome: 'implemented', implementedAt: '2026-11-05', explanation: '已限制' }],
    });
    expect(feedback.status).toBe(201);
    ids.feedback = feedback.body.id;
  });

  it('POST /lists/entries', async () => {
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 61000, max: 61999 }).chain((n) => broken(courtEntry(n))) },
      fromSchema(doc, bodySchema('/api/v1/lists/entries', 'post')),
      nastyValue,
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        await check(COURT, 'post', '/api/v1/lists/entries', b);
      }),
      params(),
    );
  });

  it('POST /lists/entries/batch (incremental, full, dry runs)', async () => {
    const entry = fc.oneof(
      fc.integer({ min: 62000, max: 62999 }).map((n) => courtEntry(n)),
      fc.integer({ min: 62000, max: 62999 }).chain((n) => broken(courtEntry(n))),
      nastyValue,
    );
    const body = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record(
          {
            entries: fc.array(entry, { minLength: 1, maxLength: 4 }),
            mode: fc.oneof(fc.constantFrom('incremental', 'full'), nastyValue),
            listType: fc.oneof(fc.constant('BL-COURT-DEBTOR'), nastyValue),
            dryRun: fc.oneof(fc.boolean(), nastyValue),
            maxRemovals: fc.oneof(fc.integer({ min: 0, max: 3 }), nastyValue),
            maxRemovalShare: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), nastyValue),
            confirmRemovals: fc.oneof(fc.integer({ min: 0, max: 3 }), nastyValue),
          },
          { requiredKeys: ['entries'] },
        ),
      },
      fromSchema(doc, bodySchema('/api/v1/lists/entries/batch', 'post')),
      nastyValue,
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await check(COURT, 'post', '/api/v1/lists/entries/batch', b);
        if (res.status === 200) {
          const { results, counts } = res.body as { results: { status: string }[]; counts: Record<string, number> };
          expect(results).toHaveLength((b as { entries: unknown[] }).entries.length);
          expect(counts.created + counts.updated + counts.unchanged + counts.rejected).toBe(results.length);
        }
      }),
      params(),
    );
  });

  it('PATCH /lists/entries/{id}', async () => {
    const body = fc.oneof(
      { weight: 4, arbitrary: broken({ correctionReason: '更正', reason: '更正后的事由', listedAt: '2026-11-03' }) },
      fromSchema(doc, bodySchema('/api/v1/lists/entries/{id}', 'patch')),
    );
    await fc.assert(
      fc.asyncProperty(pathParam, body, async (id, b) => {
        await check(OFFICE, 'patch', at('/api/v1/lists/entries/{id}', id, ids.entry), b);
      }),
      params(),
    );
  });

  it('POST /lists/entries/{id}/transitions', async () => {
    const body = fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .constantFrom(
            { action: 'move-to-watch', reason: '已纠正', at: '2026-11-20' },
            { action: 'record-commitment', reason: '承诺', at: '2026-11-21', text: '信用承诺书' },
            {
              action: 'record-training',
              reason: '培训',
              at: '2026-11-22T10:00:00+08:00',
              provider: '信用中心',
              hours: 8,
            },
          )
          .chain(broken),
      },
      fromSchema(doc, bodySchema('/api/v1/lists/entries/{id}/transitions', 'post')),
    );
    await fc.assert(
      fc.asyncProperty(pathParam, body, async (id, b) => {
        await check(OFFICE, 'post', at('/api/v1/lists/entries/{id}/transitions', id, ids.watchable), b);
      }),
      params(),
    );
  });

  it('POST /lists/entries/{id}/objections and /lists/objections/{id}/decision', async () => {
    const filing = fc.oneof(
      { weight: 4, arbitrary: broken({ statement: '当事人称已履行', contact: '13800000000' }) },
      fromSchema(doc, bodySchema('/api/v1/lists/entries/{id}/objections', 'post')),
    );
    const decision = fc.oneof(
      {
        weight: 4,
        arbitrary: broken({
          upheld: true,
          reason: '部分成立',
          corrections: { reason: '更正后的事由', listedAt: '2026-11-04' },
        }),
      },
      fromSchema(doc, bodySchema('/api/v1/lists/objections/{id}/decision', 'post')),
    );
    await fc.assert(
      fc.asyncProperty(pathParam, filing, pathParam, decision, async (entryId, f, objectionId, d) => {
        await check(OFFICE, 'post', at('/api/v1/lists/entries/{id}/objections', entryId, ids.entry), f);
        await check(OFFICE, 'post', at('/api/v1/lists/objections/{id}/decision', objectionId, ids.objection), d);
      }),
      params(Math.ceil(RUNS / 2)),
    );
  });

  it('POST /lists/entries/{id}/repair-applications and /lists/repair-applications/{id}/decision', async () => {
    const filing = fc.oneof(
      {
        weight: 4,
        arbitrary: broken({ evidence: '已履行全部义务', commitment: '信用承诺书', at: '2026-11-20T10:00:00+08:00' }),
      },
      fromSchema(doc, bodySchema('/api/v1/lists/entries/{id}/repair-applications', 'post')),
    );
    const decision = fc.oneof(
      { weight: 4, arbitrary: broken({ approved: false, reason: '不予修复' }) },
      fromSchema(doc, bodySchema('/api/v1/lists/repair-applications/{id}/decision', 'post')),
    );
    await fc.assert(
      fc.asyncProperty(pathParam, filing, pathParam, decision, async (entryId, f, applicationId, d) => {
        await check(OFFICE, 'post', at('/api/v1/lists/entries/{id}/repair-applications', entryId, ids.entry), f);
        await check(OFFICE, 'post', at('/api/v1/lists/repair-applications/{id}/decision', applicationId, ids.entry), d);
      }),
      params(Math.ceil(RUNS / 2)),
    );
  });

  it('feedback: POST /feedback, /feedback/{id}/corrections, /feedback/{id}/cancellation, /feedback/cases', async () => {
    const items = [{ measureId: 'M01-01', outcome: 'implemented', implementedAt: '2026-11-05', explanation: '已限制' }];
    const record = fc.oneof(
      { weight: 3, arbitrary: broken({ taskId: 'TASK', items }) },
      fromSchema(doc, bodySchema('/api/v1/feedback', 'post')),
    );
    const correction = fc.oneof(
      { weight: 3, arbitrary: broken({ reason: '更正', items }) },
      fromSchema(doc, bodySchema('/api/v1/feedback/{id}/corrections', 'post')),
    );
    const cancellation = fromSchema(doc, bodySchema('/api/v1/feedback/{id}/cancellation', 'post'));
    const caseBody = fc.oneof(
      {
        weight: 3,
        arbitrary: broken({
          taskId: 'TASK',
          measureIds: ['M01-01'],
          title: '某公司被限制乘坐高铁后主动履行',
          occurredAt: '2026-11-05',
          region: '340100',
          description: '经过',
          effect: '效果',
          publishable: true,
        }),
      },
      fromSchema(doc, bodySchema('/api/v1/feedback/cases', 'post')),
    );
    const withTask = (b: unknown) => JSON.parse(JSON.stringify(b ?? null).replace(/"TASK"/g, JSON.stringify(ids.task)));
    await fc.assert(
      fc.asyncProperty(record, correction, cancellation, caseBody, pathParam, async (r, c, x, k, id) => {
        await check(RAILWAY, 'post', '/api/v1/feedback', withTask(r));
        await check(RAILWAY, 'post', at('/api/v1/feedback/{id}/corrections', id, ids.feedback), c);
        await check(RAILWAY, 'post', '/api/v1/feedback/cases', withTask(k));
        if (id !== 'TARGET')
          await check(RAILWAY, 'post', at('/api/v1/feedback/{id}/cancellation', id, ids.feedback), x);
      }),
      params(Math.ceil(RUNS / 2)),
    );
  });

  it('POST /lists/imports: malformed rows are rejected one by one, the job never fails because of a row', async () => {
    const HEADERS = IMPORT_HEADERS.join(',');
    const goodRow = (n: number) => [
      '失信被执行人名单',
      '法人',
      `模糊导入公司${n}`,
      makeUscc(n),
      '',
      '',
      '张三',
      makeIdNumber(n),
      '拒不履行',
      '合肥中院',
      '省级',
      `模糊-${n}`,
      '2026-11-01',
      '',
      '340100',
    ];
    const cell = fc.oneof(
      nastyText,
      fc.constantFrom('法人', '自然人', '居民身份证', '护照', '国家级', '市级', '2026/2/30'),
    );
    const row = fc.integer({ min: 63000, max: 63999 }).chain((n) =>
      fc.array(fc.record({ at: fc.integer({ min: 0, max: 16 }), value: cell }), { maxLength: 3 }).map((changes) => {
        const r = goodRow(n);
        for (const c of changes) r[c.at] = c.value; // beyond the 15 columns: extra cells
        return r;
      }),
    );
    const quote = (c: string) => `"${c.replace(/"/g, '""')}"`;
    const token = await suite.api.tokenOf(COURT);
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), async (rows) => {
        const text = [HEADERS, ...rows.map((r) => r.map(quote).join(','))].join('\r\n') + '\r\n';
        const res = await suite.api
          .http()
          .post('/api/v1/lists/imports')
          .set('Authorization', `Bearer ${token}`)
          .attach('file', Buffer.from(text, 'utf8'), 'fuzz.csv');
        if (res.status !== 202) throw new Error(`upload answered ${res.status} ${show(res.body)} for ${show(rows)}`);
        const job = await waitFor(
          'import finished',
          async () => {
            const r = await (await suite.api.as(COURT)).get(`/api/v1/lists/imports/${res.body.id}`);
            return ['done', 'failed'].includes(r.body.status) ? r.body : undefined;
          },
          30000,
        );
        if (job.status !== 'done' || job.accepted + job.rejected !== job.total)
          throw new Error(`import ${job.status} (${job.error}; ${show(job)}) for rows ${show(rows)}`);
      }),
      params(Math.max(3, Math.ceil(RUNS / 5))),
    );
  });
});
