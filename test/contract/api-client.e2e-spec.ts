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
});
