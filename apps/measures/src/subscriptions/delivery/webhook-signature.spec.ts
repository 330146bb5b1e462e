import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook } from './webhook-signature';

/** Our signatures, checked by the official Standard Webhooks library, as a receiver would. */
describe('webhook signatures', () => {
  const body = JSON.stringify({
    type: 'task.dispatched',
    timestamp: '2026-11-02T08:00:00.000Z',
    data: { task: { id: 'x', subject: { name: '安徽某某建设有限公司' } } },
  });
  const now = () => Math.floor(Date.now() / 1000);

  it('makes secrets in the Standard Webhooks format', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('verifies with the official library, Chinese text included', () => {
    const secret = newWebhookSecret();
    const headers = {
      'webhook-id': 'c0ffee00-0000-5000-8000-000000000001',
      'webhook-timestamp': String(now()),
      'webhook-signature': '',
    };
    headers['webhook-signature'] = signWebhook(
      [secret],
      headers['webhook-id'],
      Number(headers['webhook-timestamp']),
      body,
    );
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(secret).verify(body.replace('x', 'y'), headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'another' })).toThrow(
      /No matching signature/,
    );
  });

  it('signs with every secret given, so either verifies during a rotation', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const ts = now();
    const headers = {
      'webhook-id': 'id-1',
      'webhook-timestamp': String(ts),
      'webhook-signature': signWebhook([current, previous], 'id-1', ts, body),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
  });
});
