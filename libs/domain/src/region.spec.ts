import { ANHUI_DIVISIONS, ANHUI_NBS_FUNCTIONAL_ZONES } from './anhui-divisions';
import { ANHUI_CITIES, cityOf, isProvinceRegion, PROVINCE_CODE, regionName } from './region';
import { maskIdNumber } from './mask';

describe('region codes', () => {
  it.each(['340000', '340100', '340104', '341523', '341800', '341882'])('accepts %s', (code) =>
    expect(isProvinceRegion(code)).toBe(true),
  );

  it.each([
    ['320100', 'a city of another province'],
    ['340900', 'no such city (3409 is unused)'],
    ['340199', 'no such county in 合肥市'],
    ['340105', 'no such county in 合肥市'],
    ['340176', 'NBS functional zone (合肥高新区), not an administrative division'],
    ['34010', 'too short'],
    ['3401000', 'too long'],
    ['abcdef', 'not digits'],
    ['constructor', 'an Object.prototype key'],
  ])('rejects %s (%s)', (code) => expect(isProvinceRegion(code)).toBe(false));

  it('finds the city of a county code', () => expect(cityOf('341523')).toBe('341500'));
  it('maps a city to itself', () => expect(cityOf('340100')).toBe('340100'));
  it('has no city for the province', () => expect(cityOf(PROVINCE_CODE)).toBeNull());
  it('has no city for a code that does not exist', () => {
    expect(cityOf('340199')).toBeNull();
    expect(cityOf('340900')).toBeNull();
  });

  it('names divisions', () => {
    expect(regionName('340000')).toBe('安徽省');
    expect(regionName('340100')).toBe('合肥市');
    expect(regionName('340104')).toBe('蜀山区');
    expect(regionName('341523')).toBe('舒城县');
    expect(regionName('340181')).toBe('巢湖市');
    expect(regionName('340199')).toBeNull();
  });
});

describe('generated divisions', () => {
  const entries = Object.entries(ANHUI_DIVISIONS);

  it('agrees with ANHUI_CITIES', () => {
    const cities = Object.fromEntries(
      entries.filter(([code, d]) => d.city === code).map(([code, d]) => [code, d.name]),
    );
    expect(cities).toEqual(ANHUI_CITIES);
  });

  it('has the province, 16 cities and 104 county-level divisions (45 districts, 50 counties, 9 cities)', () => {
    const counties = entries.filter(([code, d]) => d.city !== null && d.city !== code);
    expect(entries.length).toBe(1 + 16 + 104);
    expect(counties.filter(([, d]) => d.name.endsWith('区')).length).toBe(45);
    expect(counties.filter(([, d]) => d.name.endsWith('县')).length).toBe(50);
    expect(counties.filter(([, d]) => d.name.endsWith('市')).length).toBe(9);
  });

  it('places every county in the city its code names', () => {
    for (const [code, d] of entries) {
      expect(code).toMatch(/^34\d{4}$/);
      if (code === PROVINCE_CODE) expect(d.city).toBeNull();
      else expect(d.city).toBe(`${code.slice(0, 4)}00`);
    }
  });

  it('keeps functional zones apart', () => {
    for (const code of Object.keys(ANHUI_NBS_FUNCTIONAL_ZONES)) expect(ANHUI_DIVISIONS[code]).toBeUndefined();
  });
});

describe('masking', () => {
  it('keeps the first six characters', () => expect(maskIdNumber('11010519491231002X')).toBe('110105************'));
});
