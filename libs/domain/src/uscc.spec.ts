import { isValidUscc, usccCheckCharacter, usccProblem } from './uscc';

describe('USCC (GB 32100)', () => {
  it('accepts the reference example', () => {
    expect(usccProblem('91350100M000100Y43')).toBeNull();
  });

  it('computes the check character of the reference example', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it.each([
    ['91350100M000100Y44', 'check character'],
    ['91350100M000100Y4', '18 characters'],
    ['91350100M000100YI3', 'characters outside'],
    ['9135010OM000100Y43', 'characters outside'],
  ])('rejects %s (%s)', (value, reason) => {
    expect(usccProblem(value)).toContain(reason);
    expect(isValidUscc(value)).toBe(false);
  });

  it('writes a check value of 31 as 0', () => {
    // Find a prefix whose weighted sum is ≡ 0 (mod 31): its check character must be '0'.
    const base = '91340100MA2N0000';
    for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
      const first17 = base + c;
      if (usccCheckCharacter(first17) === '0') {
        expect(isValidUscc(first17 + '0')).toBe(true);
        return;
      }
    }
    throw new Error('no prefix with check value 31 found');
  });
});
