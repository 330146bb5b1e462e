import { CachedReads } from './cached-reads';

/** A source whose reads are counted and, when asked, held until released. */
function source<V>(value: () => V) {
  let reads = 0;
  let hold: Promise<void> | undefined;
  return {
    read: async () => {
      reads++;
      const read = value(); // what the rows held when the read began
      if (hold) await hold;
      return read;
    },
    reads: () => reads,
    holdReads: () => {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

describe('CachedReads', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('reads once, then again when the time since the read began has run out', async () => {
    let current = 'a';
    const rows = source(() => current);
    const cache = new CachedReads<string, string>(5_000);
    expect(await cache.get('k', rows.read)).toBe('a');
    current = 'b'; // changed by another replica: this one is not told
    jest.setSystemTime(1_000_000 + 4_999);
    expect(await cache.get('k', rows.read)).toBe('a');
    expect(rows.reads()).toBe(1);
    jest.setSystemTime(1_000_000 + 5_000);
    expect(await cache.get('k', rows.read)).toBe('b');
    expect(rows.reads()).toBe(2);
  });

  it('keeps each key on its own', async () => {
    const rows = source(() => 'x');
    const cache = new CachedReads<string, string>(5_000);
    await cache.get('a', rows.read);
    await cache.get('b', rows.read);
    await cache.get('a', rows.read);
    expect(rows.reads()).toBe(2);
  });

  it('reads again at once after a drop', async () => {
    let current = 'a';
    const rows = source(() => current);
    const cache = new CachedReads<string, string>(5_000);
    await cache.get('k', rows.read);
    current = 'b';
    cache.drop();
    expect(await cache.get('k', rows.read)).toBe('b');
    expect(rows.reads()).toBe(2);
  });

  it('shares a read under way', async () => {
    const rows = source(() => 'a');
    const cache = new CachedReads<string, string>(5_000);
    const release = rows.holdReads();
    const first = cache.get('k', rows.read);
    const second = cache.get('k', rows.read);
    release();
    expect(await Promise.all([first, second])).toEqual(['a', 'a']);
    expect(rows.reads()).toBe(1);
  });

  it('does not keep what a read begun before a drop returned', async () => {
    let current = 'a';
    const rows = source(() => current);
    const cache = new CachedReads<string, string>(5_000);
    const release = rows.holdReads();
    const stale = cache.get('k', rows.read);
    cache.drop(); // the change committed while the read was under way
    current = 'b';
    release();
    expect(await stale).toBe('a');
    expect(await cache.get('k', rows.read)).toBe('b');
    expect(rows.reads()).toBe(2);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const rows = source(() => {
      if (fail) throw new Error('connection lost');
      return 'a';
    });
    const cache = new CachedReads<string, string>(5_000);
    await expect(cache.get('k', rows.read)).rejects.toThrow('connection lost');
    fail = false;
    expect(await cache.get('k', rows.read)).toBe('a');
    expect(rows.reads()).toBe(2);
  });

  it('does not keep a value `keep` refuses', async () => {
    let current: string | undefined = undefined;
    const rows = source(() => current);
    const cache = new CachedReads<string, string | undefined>(5_000, (v) => v !== undefined);
    expect(await cache.get('k', rows.read)).toBeUndefined();
    current = 'a';
    expect(await cache.get('k', rows.read)).toBe('a');
    expect(await cache.get('k', rows.read)).toBe('a');
    expect(rows.reads()).toBe(2);
  });
});
