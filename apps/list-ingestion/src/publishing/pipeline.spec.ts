import { Breather, pipelined } from './pipeline';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A run's steps in the order they happened: `prepare 1`, `store 1 start`, `store 1 end` … */
function recorder(options: { failPrepare?: number; failStore?: number; storeTicks?: number } = {}) {
  const log: string[] = [];
  return {
    log,
    prepare: async (n: number) => {
      log.push(`prepare ${n}`);
      await tick();
      if (n === options.failPrepare) throw new Error(`prepare ${n} failed`);
      return n * 10;
    },
    store: async (prepared: number, n: number) => {
      log.push(`store ${n} start (${prepared})`);
      for (let i = 0; i < (options.storeTicks ?? 3); i++) await tick();
      if (n === options.failStore) throw new Error(`store ${n} failed`);
      log.push(`store ${n} end`);
    },
  };
}

describe('pipelined', () => {
  it('stores the parts one at a time, in order, preparing the next part while one is stored', async () => {
    const r = recorder();
    await pipelined([1, 2, 3], r.prepare, r.store);
    expect(r.log).toEqual([
      'prepare 1',
      'store 1 start (10)',
      'prepare 2', // while part 1 is stored
      'store 1 end',
      'store 2 start (20)',
      'prepare 3',
      'store 2 end',
      'store 3 start (30)',
      'store 3 end',
    ]);
  });

  it('reads the parts from an async source', async () => {
    async function* parts() {
      yield 1;
      await tick();
      yield 2;
    }
    const r = recorder();
    await pipelined(parts(), r.prepare, r.store);
    expect(r.log.filter((l) => l.endsWith('end'))).toEqual(['store 1 end', 'store 2 end']);
  });

  it('does nothing for no parts', async () => {
    const r = recorder();
    await pipelined([], r.prepare, r.store);
    expect(r.log).toEqual([]);
  });

  it('stops at a failed store: its error is thrown, no later part is stored', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const r = recorder({ failStore: 2, storeTicks: 1 });
      await expect(pipelined([1, 2, 3, 4], r.prepare, r.store)).rejects.toThrow('store 2 failed');
      expect(r.log).not.toContain('store 3 start (30)');
      expect(r.log).not.toContain('store 2 end');
      await tick();
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('stops at a failed prepare once the store in progress has ended', async () => {
    const r = recorder({ failPrepare: 2, storeTicks: 5 });
    await expect(pipelined([1, 2, 3], r.prepare, r.store)).rejects.toThrow('prepare 2 failed');
    expect(r.log).toEqual(['prepare 1', 'store 1 start (10)', 'prepare 2', 'store 1 end']);
  });

  it('closes an async source it stops reading', async () => {
    let closed = false;
    async function* parts() {
      try {
        for (let n = 1; ; n++) {
          await tick();
          yield n;
        }
      } finally {
        closed = true;
      }
    }
    const r = recorder({ failStore: 1 });
    await expect(pipelined(parts(), r.prepare, r.store)).rejects.toThrow('store 1 failed');
    expect(closed).toBe(true);
  });
});

describe('Breather', () => {
  it('gives the event loop a turn every n-th call only', () => {
    const breather = new Breather(3);
    const turns = [1, 2, 3, 4, 5, 6].map(() => breather.pause() !== undefined);
    expect(turns).toEqual([false, false, true, false, false, true]);
  });

  it('lets waiting I/O callbacks run before it resolves', async () => {
    const breather = new Breather(1);
    let ran = false;
    setImmediate(() => (ran = true));
    await breather.pause();
    expect(ran).toBe(true);
  });
});
