import { cityOf, isProvinceRegion } from './region';
import { maskIdNumber } from './mask';

describe('region codes', () => {
  it.each(['340000', '340100', '340104', '341800'])('accepts %s', (code) => expect(isProvinceRegion(code)).toBe(true));
  it.each(['320100', '340900', '34010', '3401000', 'abcdef'])('rejects %s', (code) => expect(isProvinceRegion(code)).toBe(false));
  it('finds the city of a county code', () => expect(cityOf('341523')).toBe('341500'));
});

describe('masking', () => {
  it('keeps the first six characters', () => expect(maskIdNumber('11010519491231002X')).toBe('110105************'));
});
