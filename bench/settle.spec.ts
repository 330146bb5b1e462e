import { isSettled, SETTLED_BUSY_SHARE } from './settle';

describe('isSettled', () => {
  it.each([
    [{ busyShare: 0.05, autovacuumWorkers: 0 }, true],
    [{ busyShare: SETTLED_BUSY_SHARE - 0.01, autovacuumWorkers: 0 }, true],
    [{ busyShare: SETTLED_BUSY_SHARE, autovacuumWorkers: 0 }, false],
    [{ busyShare: 0.9, autovacuumWorkers: 0 }, false],
    [{ busyShare: 0.05, autovacuumWorkers: 1 }, false],
    [{ busyShare: 0.9, autovacuumWorkers: 2 }, false],
  ])('%o → %s', (sample, expected) => {
    expect(isSettled(sample)).toBe(expected);
  });
});
