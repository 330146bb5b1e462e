import { generateKeyPairSync } from 'node:crypto';
import { generateKeySpec } from '@jrp/crypto';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE, resolveConfig } from '@jrp/config';
import { afterFailure, RETRY_JITTER } from './retry-schedule';

describe('webhook retry schedule', () => {
  it('waits each entry of the schedule in turn, then gives up', () => {
    const schedule = [1, 1, 1];
    const mid = () => 0.5;
    expect([1, 2, 3].map((n) => afterFailure(schedule, n, mid))).toEqual([
      { retryInMs: 1000 },
      { retryInMs: 1000 },
      { retryInMs: 1000 },
    ]);
    // three retries: the fourth attempt is the last
    expect(afterFailure(schedule, 4, mid)).toEqual({ exhausted: true });
  });

  it('jitters every wait within ±10 %', () => {
    expect(afterFailure([300], 1, () => 0)).toEqual({ retryInMs: 270000 });
    expect(afterFailure([300], 1, () => 0.999999)).toEqual({ retryInMs: 330000 });
    const waits = new Set(
      Array.from({ length: 50 }, () => (afterFailure([300], 1) as { retryInMs: number }).retryInMs),
    );
    expect(waits.size).toBeGreaterThan(1);
  });

  it('by default keeps retrying for more than 24 hours, however the jitter falls', () => {
    const schedule = DEFAULT_WEBHOOK_RETRY_SCHEDULE;
    const shortest = schedule.reduce(
      (total, _, i) => total + (afterFailure(schedule, i + 1, () => 0) as { retryInMs: number }).retryInMs,
      0,
    );
    expect(shortest).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(schedule.reduce((a, b) => a + b, 0) * (1 - RETRY_JITTER)).toBeGreaterThanOrEqual(24 * 3600);
    // exponential at first: each wait at least as long as the one before
    expect([...schedule].sort((a, b) => a - b)).toEqual(schedule);
    expect(afterFailure(schedule, schedule.length + 1)).toEqual({ exhausted: true });
  });

  it('is overridden by JRP_WEBHOOK_RETRY_SCHEDULE, which is validated at start-up', () => {
    const env = {
      JRP_TOKEN_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ format: 'der', type: 'pkcs8' })
        .toString('base64'),
      JRP_SUBJECT_KEY_SECRET: 'x'.repeat(32),
      JRP_DATA_KEYS: generateKeySpec('k1'),
      DATABASE_URL: 'postgres://127.0.0.1/test',
      JRP_BUS: 'in-process',
    };
    const withSchedule = (value?: string) => resolveConfig({ ...env, JRP_WEBHOOK_RETRY_SCHEDULE: value }, 'measures');
    expect(withSchedule(undefined).webhookRetrySchedule).toEqual(DEFAULT_WEBHOOK_RETRY_SCHEDULE);
    expect(withSchedule(' 1, 2,30 ').webhookRetrySchedule).toEqual([1, 2, 30]);
    expect(() => withSchedule('5m,1h')).toThrow(/JRP_WEBHOOK_RETRY_SCHEDULE/);
    expect(() => withSchedule('0,5')).toThrow(/JRP_WEBHOOK_RETRY_SCHEDULE: each delay must be 1 to 604800 seconds/);
  });
});
