import type { AuditRecordedData } from '@jrp/contracts';
import { OTHER_ADDRESSES, RefusalQueue } from './refusal-queue';

const refusal = (n: number, sourceAddress: string): AuditRecordedData => ({
  recordId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  version: 1,
  service: 'measures',
  action: 'request.refused',
  objectType: 'route',
  objectId: 'GET /api/v1/tasks',
  organization: 'anonymous',
  tokenId: '',
  tokenLabel: null,
  requestId: `req-${n}`,
  sourceAddress,
  at: '2026-11-03T00:00:00.000Z',
  outcome: 'unauthorized',
});

const summary = (address: string, count: number) => ({
  ...refusal(0, address),
  objectType: 'count',
  objectId: String(count),
  outcome: 'not-recorded' as const,
});

describe('RefusalQueue', () => {
  const minute = 60000 * 1000; // the start of a minute
  const limits = { perAddressPerMinute: 3, capacity: 5, addresses: 2 };

  it('records each address’s first refusals of a minute, counts the rest, and hands out the counts after the records', () => {
    const queue = new RefusalQueue(limits, () => minute);
    const offered = [1, 2, 3, 4, 5].map((n) => queue.offer(refusal(n, '203.0.113.7')));
    expect(offered).toEqual([true, true, true, false, false]);
    expect(queue.offer(refusal(6, '198.51.100.1'))).toBe(true); // another address has its own share
    expect(queue.droppedTotal).toBe(2);
    const taken = queue.take(10, summary);
    expect(taken.map((r) => [r.requestId, r.sourceAddress, r.objectType, r.objectId])).toEqual([
      ['req-1', '203.0.113.7', 'route', 'GET /api/v1/tasks'],
      ['req-2', '203.0.113.7', 'route', 'GET /api/v1/tasks'],
      ['req-3', '203.0.113.7', 'route', 'GET /api/v1/tasks'],
      ['req-6', '198.51.100.1', 'route', 'GET /api/v1/tasks'],
      ['req-0', '203.0.113.7', 'count', '2'],
    ]);
    expect(queue.pending).toBe(0);
    expect(queue.take(10, summary)).toEqual([]); // each count once
  });

  it('every refusal is either queued or counted, and at most `capacity` wait', () => {
    const queue = new RefusalQueue({ perAddressPerMinute: 1000, capacity: 5, addresses: 100 }, () => minute);
    for (let n = 0; n < 12; n++) queue.offer(refusal(n, `192.0.2.${n % 3}`));
    const taken = queue.take(100, summary);
    const records = taken.filter((r) => r.objectType === 'route');
    const counted = taken.filter((r) => r.objectType === 'count').reduce((sum, r) => sum + Number(r.objectId), 0);
    expect(records).toHaveLength(5);
    expect(records.length + counted).toBe(12);
    expect(queue.droppedTotal).toBe(7);
  });

  it('counts the addresses beyond `addresses` together', () => {
    const queue = new RefusalQueue({ perAddressPerMinute: 1000, capacity: 0, addresses: 2 }, () => minute);
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.1'])
      queue.offer(refusal(1, address));
    const counts = queue.take(100, summary).map((r) => [r.sourceAddress, r.objectId]);
    expect(counts).toEqual([
      ['192.0.2.1', '2'],
      ['192.0.2.2', '1'],
      [OTHER_ADDRESSES, '2'],
    ]);
  });

  it('hands out at most `max` at a time, the counts only once the records are out', () => {
    const queue = new RefusalQueue(limits, () => minute);
    for (let n = 1; n <= 4; n++) queue.offer(refusal(n, '203.0.113.7'));
    expect(queue.take(2, summary).map((r) => r.requestId)).toEqual(['req-1', 'req-2']);
    expect(queue.take(2, summary).map((r) => [r.requestId, r.objectType])).toEqual([
      ['req-3', 'route'],
      ['req-0', 'count'],
    ]);
  });

  it('gives an address a new share in a later minute', () => {
    let now = minute;
    const queue = new RefusalQueue(limits, () => now);
    for (let n = 1; n <= 4; n++) queue.offer(refusal(n, '203.0.113.7'));
    now += 180000;
    expect(queue.offer(refusal(5, '203.0.113.7'))).toBe(true);
  });
});
