import { ChannelSlots } from './channel-slots';

describe('ChannelSlots', () => {
  it.each([
    // [max, slots taken by token a before asking once more, granted]
    [4, 0, true],
    [4, 3, true],
    [4, 4, false],
    [1, 1, false],
    [1, 0, true],
  ])('with a cap of %i and %i held, grants one more: %s', (max, before, granted) => {
    const slots = new ChannelSlots(max);
    for (let i = 0; i < before; i++) expect(slots.take('a')).toBeDefined();
    expect(slots.take('a') !== undefined).toBe(granted);
    expect(slots.count('a')).toBe(granted ? before + 1 : before);
  });

  it('counts each token apart', () => {
    const slots = new ChannelSlots(2);
    slots.take('a');
    slots.take('a');
    expect(slots.take('a')).toBeUndefined();
    expect(slots.take('b')).toBeDefined();
    expect([slots.count('a'), slots.count('b')]).toEqual([2, 1]);
  });

  it('frees a slot when it is given back, once however often release is called', () => {
    const slots = new ChannelSlots(2);
    const first = slots.take('a')!;
    slots.take('a');
    expect(slots.take('a')).toBeUndefined();
    first();
    first();
    expect(slots.count('a')).toBe(1);
    expect(slots.take('a')).toBeDefined();
    expect(slots.take('a')).toBeUndefined();
  });

  it('forgets a token that holds nothing', () => {
    const slots = new ChannelSlots(3);
    const release = slots.take('a')!;
    release();
    expect(slots.count('a')).toBe(0);
    expect((slots as unknown as { held: Map<string, number> }).held.size).toBe(0);
  });
});
