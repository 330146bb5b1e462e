import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the limit per minute, then answers how long to wait', () => {
    let now = 60000 * 1000 + 10000; // 10 s into a minute
    const limiter = new RateLimiter(3, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(50);
    expect(limiter.take('b')).toBe(0); // keys are counted apart
    now += 60000 + 50000; // next minute, 60 s later: the previous minute weighs 1/6
    expect(limiter.take('a')).toBe(0);
  });

  it('forgets counts older than two minutes', () => {
    let now = 0;
    const limiter = new RateLimiter(1, () => now);
    expect(limiter.take('a')).toBe(0);
    now += 180000;
    expect(limiter.take('a')).toBe(0);
  });
});
