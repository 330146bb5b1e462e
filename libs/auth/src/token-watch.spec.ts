import { Principal } from './principal';
import { RevocationList } from './revocation-list';
import { watchToken } from './token-watch';

const organization = { code: 'AH-RAILWAY', name: '合肥站', level: 'province' as const, region: '340000' };
const principal = (tokenId: string, expiresAt?: Date): Principal => ({
  organization,
  roles: ['implementer'],
  tokenId,
  ...(expiresAt ? { expiresAt } : {}),
});

describe('RevocationList', () => {
  it('tells its listeners of each token it learns is revoked, once, until they unsubscribe', () => {
    const list = new RevocationList();
    const heard: string[] = [];
    const unsubscribe = list.onRevoked((id) => heard.push(id));
    list.add('a');
    list.add('a'); // a redelivered revocation: nothing new
    list.add('b');
    unsubscribe();
    list.add('c');
    expect(heard).toEqual(['a', 'b']);
    expect(['a', 'b', 'c'].map((id) => list.has(id))).toEqual([true, true, true]);
  });
});

describe('watchToken', () => {
  afterEach(() => jest.useRealTimers());

  it('aborts when its own token is revoked, not when another one is', () => {
    const list = new RevocationList();
    const watch = watchToken(list, principal('mine', new Date(Date.now() + 3600_000)));
    list.add('someone-else');
    expect(watch.signal.aborted).toBe(false);
    expect(watch.ended()).toBeUndefined();
    list.add('mine');
    expect(watch.signal.aborted).toBe(true);
    expect(watch.signal.reason).toBe('revoked');
    expect(watch.ended()).toBe('revoked');
    watch.dispose();
  });

  it('aborts when its token expires', () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T00:00:00Z') });
    const watch = watchToken(new RevocationList(), principal('mine', new Date('2026-11-30T00:00:05Z')));
    jest.advanceTimersByTime(4999);
    expect(watch.signal.aborted).toBe(false);
    expect(watch.ended()).toBeUndefined();
    jest.advanceTimersByTime(1);
    expect(watch.signal.reason).toBe('expired');
    expect(watch.ended()).toBe('expired');
    watch.dispose();
  });

  it('is ended from the start for a token already revoked or expired', () => {
    const list = new RevocationList();
    list.add('gone');
    expect(watchToken(list, principal('gone')).signal.reason).toBe('revoked');
    expect(watchToken(list, principal('old', new Date(Date.now() - 1))).ended()).toBe('expired');
  });

  it('stays ended once its timer has fired, even a millisecond before the clock reads the expiry', () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T00:00:00Z') });
    const watch = watchToken(new RevocationList(), principal('mine', new Date('2026-11-30T00:00:05Z')));
    jest.advanceTimersByTime(5000);
    expect(watch.ended(Date.parse('2026-11-30T00:00:04.999Z'))).toBe('expired');
    watch.dispose();
  });

  it('stops listening once disposed', () => {
    const list = new RevocationList();
    const watch = watchToken(list, principal('mine'));
    watch.dispose();
    list.add('mine');
    expect(watch.signal.aborted).toBe(false);
    // asked again, it still tells the truth
    expect(watch.ended()).toBe('revoked');
  });

  it('leaves a token with no expiry (JRP_ADMIN_TOKEN) to revocation alone, and an expiry beyond the timer range to ended()', () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T00:00:00Z') });
    const far = watchToken(new RevocationList(), principal('far', new Date('2028-11-30T00:00:00Z')));
    const none = watchToken(new RevocationList(), principal('none'));
    expect(far.ended()).toBeUndefined();
    jest.setSystemTime(new Date('2028-11-30T00:00:00Z'));
    expect(far.ended()).toBe('expired');
    expect(none.ended()).toBeUndefined();
    far.dispose();
    none.dispose();
  });
});
