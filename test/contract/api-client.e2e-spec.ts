import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJrpClient } from '@jrp/api-client';
import { makeUscc, uniquePrefix, waitFor } from '@jrp/testing';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';
import { useStandalone } from '../support/standalone';

/**
 * A department's system written against the generated client (libs/api-client): publish → feed → ack
 * → counter check, on a real broker. Every path, body and answer here is checked by the compiler
 * against the OpenAPI document (`npm test` type-checks before it runs).
 */
describe('the generated API client', () => {
  const topics = uniquePrefix('client').replace(/_/g, '-').slice(0, -1) + '.';
  const suite = useStandalone('client', { JRP_BUS: 'kafka', JRP_TOPIC_PREFIX: topics });
  let url: string;

  beforeAll(async () => {
    await suite.app.listen(0, '127.0.0.1');
    url = `${await suite.app.getUrl()}`;
  });

  it('drives publish, feed, receipt and a counter check', async () => {
    const court = createJrpClient(url, await suite.api.tokenOf(COURT));
    const railway = createJrpClient(url, await suite.api.tokenOf(RAILWAY));

    const published = await court.POST('/api/v1/lists/entries', { body: courtEntry(9501) as never });
    expect(published.response.status).toBe(201);
    const entryId = published.data!.id;

    const item = await waitFor(
      'the task in the feed',
      async () => {
        const { data } = await railway.GET('/api/v1/tasks/feed', { params: { query: { limit: 1000 } } });
        return data!.items.find((i) => i.task.entryId === entryId && i.type === 'dispatched');
      },
      30000,
    );
    expect(item.task.measures.map((m) => m.id)).toContain('M01-01');

    const acked = await railway.POST('/api/v1/tasks/{id}/ack', { params: { path: { id: item.task.id } } });
    expect(acked.data).toMatchObject({ id: item.task.id, status: 'acknowledged', statusLabel: '已签收' });

    const check = await railway.POST('/api/v1/checks', {
      body: { subject: { uscc: makeUscc(9501) }, businessType: '铁路客票', reference: 'T-2026-9501' },
    });
    expect(check.response.status).toBe(200);
    expect(check.data!.listed).toBe(true);
    expect(check.data!.measures.map((m) => m.id)).toContain('M01-01');

    const task = await railway.GET('/api/v1/tasks/{id}', { params: { path: { id: item.task.id } } });
    expect(task.data).toMatchObject({ status: 'acknowledged', version: 3 });
    const { data: changes } = await railway.GET('/api/v1/tasks/feed', { params: { query: { after: item.cursor } } });
    expect(changes!.items.map((i) => i.type)).toEqual(['acknowledged', 'checked']);

    // errors come back typed as problem details
    const bad = await railway.GET('/api/v1/tasks/{id}', { params: { path: { id: 'not-a-uuid' } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ status: 400, code: 'validation', title: '请求内容不合法' });
  });

  it('packs as its own package, which works from plain JavaScript', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrp-client-pack-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
        cwd: join(__dirname, '..', '..', 'libs', 'api-client'),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as { filename: string; files: { path: string }[] }[];
    expect(packed[0].files.map((f) => f.path).sort()).toEqual(
      [
        'README.md',
        'dist/index.d.ts',
        'dist/index.js',
        'dist/jrp-api.d.ts',
        'dist/jrp-api.js',
        'openapi.json',
        'package.json',
      ].sort(),
    );
    // a department's project: the tarball unpacked as node_modules/@jrp/api-client, its one dependency beside it
    const project = join(dir, 'project');
    const installed = join(project, 'node_modules', '@jrp', 'api-client');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(dir, packed[0].filename), '-C', installed, '--strip-components=1']);
    symlinkSync(
      join(__dirname, '..', '..', 'node_modules', 'openapi-fetch'),
      join(project, 'node_modules', 'openapi-fetch'),
    );
    const script = `
      const { createJrpClient } = require('@jrp/api-client');
      createJrpClient(process.argv[1], process.argv[2])
        .GET('/api/v1/tasks/feed', { params: { query: { limit: 1 } } })
        .then(({ data, error, response }) => console.log(JSON.stringify({ status: response.status, data, error })));`;
    // asynchronously: the server answering it runs in this process
    const run = async (token: string) =>
      JSON.parse(
        (await promisify(execFile)(process.execPath, ['-e', script, url, token], { cwd: project })).stdout,
      ) as {
        status: number;
        data?: { items: unknown[]; next: string };
        error?: { code: string };
      };
    const answered = await run(await suite.api.tokenOf(RAILWAY));
    expect(answered.status).toBe(200);
    expect(Array.isArray(answered.data!.items)).toBe(true);
    expect(await run('not-a-token')).toMatchObject({ status: 401, error: { code: 'unauthenticated' } });
  });
});
