import { RequestContext } from '@jrp/auth';
import type { JrpConfig } from '@jrp/config';
import type { AuditRecordedData } from '@jrp/contracts';
import { Metrics } from '@jrp/messaging';
import { RefusalWriter, RefusedRequests } from './refused-requests';

const ID_NUMBER = '11010519491231002X';

class Writer implements RefusalWriter {
  readonly written: AuditRecordedData[] = [];
  constructor(readonly service: string) {}
  writeRefusals(records: AuditRecordedData[]): Promise<void> {
    this.written.push(...records);
    return Promise.resolve();
  }
}

describe('RefusedRequests', () => {
  const config = { service: 'standalone' } as JrpConfig;
  const principal = {
    organization: { code: 'AH-RAILWAY', name: '合肥站', level: 'province' as const, region: '340000' },
    roles: ['implementer' as const],
    tokenId: 'token-1',
    label: '售票系统',
  };

  it('records a refused request with its route (no query, no ID number), caller, request id, address and outcome', async () => {
    const refusals = new RefusedRequests(config, new Metrics());
    const writer = new Writer('list-ingestion');
    refusals.attach(writer);
    RequestContext.run({ requestId: 'req-refused-1', sourceAddress: '203.0.113.7', principal }, () =>
      refusals.note(404, { method: 'GET', originalUrl: `/api/v1/subjects/${ID_NUMBER}/credit?q=${ID_NUMBER}` }),
    );
    RequestContext.run({ requestId: 'req-refused-2', sourceAddress: '198.51.100.1' }, () =>
      refusals.note(401, { method: 'POST', originalUrl: '/api/v1/lists/entries' }),
    );
    RequestContext.run({ requestId: 'req-ok', sourceAddress: '198.51.100.1' }, () =>
      refusals.note(400, { method: 'POST', originalUrl: '/api/v1/lists/entries' }),
    );
    await refusals.flush();
    expect(writer.written).toEqual([
      expect.objectContaining({
        service: 'standalone',
        action: 'request.refused',
        objectType: 'route',
        objectId: `GET /api/v1/subjects/110105************/credit`,
        organization: 'AH-RAILWAY',
        tokenId: 'token-1',
        tokenLabel: '售票系统',
        requestId: 'req-refused-1',
        sourceAddress: '203.0.113.7',
        outcome: 'not-found',
      }),
      expect.objectContaining({
        objectId: 'POST /api/v1/lists/entries',
        organization: 'anonymous',
        tokenId: '',
        requestId: 'req-refused-2',
        outcome: 'unauthorized',
      }),
    ]);
    expect(JSON.stringify(writer.written)).not.toContain(ID_NUMBER);
  });

  it('writes through measures’ recorder when the process has it, whatever attached first', async () => {
    const refusals = new RefusedRequests(config, new Metrics());
    const [lists, measures, feedback] = ['list-ingestion', 'measures', 'feedback'].map((s) => new Writer(s));
    for (const writer of [lists, measures, feedback]) refusals.attach(writer);
    refusals.note(429, { method: 'GET', url: '/api/v1/tasks/feed' });
    await refusals.flush();
    expect([lists.written.length, measures.written.length, feedback.written.length]).toEqual([0, 1, 0]);
    expect(measures.written[0].outcome).toBe('rate-limited');
  });

  it('counts what it does not record, in the metric and in a summary record', async () => {
    const metrics = new Metrics();
    const refusals = new RefusedRequests(config, metrics);
    const writer = new Writer('measures');
    refusals.attach(writer);
    for (let n = 0; n < 65; n++)
      RequestContext.run({ requestId: `req-${n}`, sourceAddress: '203.0.113.9' }, () =>
        refusals.note(401, { method: 'GET', url: '/api/v1/tasks' }),
      );
    await refusals.flush();
    const records = writer.written.filter((r) => r.objectType === 'route');
    const counts = writer.written.filter((r) => r.outcome === 'not-recorded');
    expect(records).toHaveLength(60); // DEFAULT_REFUSAL_LIMITS.perAddressPerMinute
    expect(counts).toEqual([
      expect.objectContaining({ objectType: 'count', objectId: '5', sourceAddress: '203.0.113.9' }),
    ]);
    expect(await metrics.registry.getSingleMetricAsString('jrp_audit_refusals_unrecorded_total')).toContain(
      'jrp_audit_refusals_unrecorded_total 5',
    );
  });
});
