import { randomUUID } from 'node:crypto';
import { MessagingRegistry } from '@jrp/messaging';
import { waitFor } from '@jrp/testing';
import { useStandalone } from '../support/standalone';
import { sample } from './support/dead-letters';

/**
 * `/health/ready` turns 503 when a service's outbox holds JRP_READY_MAX_OUTBOX_BACKLOG events unsent
 * for more than 30 s (its relay stuck), naming the check that failed; liveness stays 200.
 */
describe('readiness: the outbox backlog', () => {
  const suite = useStandalone('ready', { JRP_READY_MAX_OUTBOX_BACKLOG: '2' });
  const get = (path: string) => suite.api.http().get(path);

  it('answers 503 naming the outbox while events wait too long, and 200 once the backlog is gone', async () => {
    expect((await get('/health/ready')).status).toBe(200);
    const relay = suite.app.get(MessagingRegistry).relays.find((r) => r.service === 'measures')!;
    await relay.stop(); // a stuck relay: what it has not sent piles up
    const ids: string[] = [];
    for (let n = 0; n < 2; n++) {
      const id = randomUUID();
      ids.push(id);
      const envelope = {
        specversion: '1.0',
        id,
        source: '/jrp/measures',
        type: 'jrp.ops.readiness-probe',
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        partitionkey: 'ops',
        data: {},
      };
      await suite.measures.query(
        `WITH added AS (INSERT INTO outbox (event_id, topic, key, type, envelope, created_at) VALUES ($1, 'jrp.audit.v1', 'ops', $2, $3, now() - interval '1 minute') RETURNING seq)
         INSERT INTO outbox_pending (seq) SELECT seq FROM added`,
        [id, envelope.type, JSON.stringify(envelope)],
      );
    }
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'down',
      checks: {
        'outbox:measures': 'down',
        'outbox:list-ingestion': 'up',
        'database:measures': 'up',
        'bus:in-process': 'up',
      },
      failed: ['outbox:measures: 2 or more events unsent for over 30 s (threshold 2)'],
      outboxBacklog: { measures: 2 },
    });
    expect((await get('/health')).status).toBe(503);
    expect((await get('/health/live')).status).toBe(200);
    const metrics = (await get('/metrics')).text;
    expect(sample(metrics, 'jrp_outbox_backlog', { service: 'measures' })).toBe(2);
    expect(sample(metrics, 'jrp_outbox_oldest_unsent_age_seconds', { service: 'measures' })).toBeGreaterThanOrEqual(60);
    // the backlog cleared (the probe rows are taken back rather than sent: no consumer knows their type)
    await suite.measures.query(
      `DELETE FROM outbox_pending WHERE seq IN (SELECT seq FROM outbox WHERE event_id = ANY($1))`,
      [ids],
    );
    relay.start();
    await waitFor('ready again', async () => (await get('/health/ready')).status === 200, 10000);
    expect(sample((await get('/metrics')).text, 'jrp_outbox_backlog', { service: 'measures' })).toBe(0);
  });
});
