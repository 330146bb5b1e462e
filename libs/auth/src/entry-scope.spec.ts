import { entryAccess, EntryScope, entryScopeOf, inScope, targetRefusal } from './entry-scope';
import { Principal } from './principal';

const principal = (
  level: Principal['organization']['level'],
  region: string,
  roles: Principal['roles'],
  code = 'AH-X',
): Principal => ({ organization: { code, name: '某单位', level, region }, roles, tokenId: 't1' });

const ALL = ['national', 'provincial', 'city'];

describe('entryScopeOf', () => {
  it.each([
    [
      'the provincial office: the whole province, every level',
      principal('province', '340000', ['office']),
      { levels: ALL },
    ],
    [
      'a city office: its city, city level only',
      principal('city', '340200', ['office']),
      { city: '340200', levels: ['city'] },
    ],
    [
      'a county office: the city of its county',
      principal('county', '340223', ['office']),
      { city: '340200', levels: ['city'] },
    ],
    [
      'a city office that also publishes: still its city',
      principal('city', '340100', ['office', 'publisher']),
      { city: '340100', levels: ['city'] },
    ],
    [
      'a provincial publisher: unscoped (its list types limit it)',
      principal('province', '340000', ['publisher']),
      { levels: ALL },
    ],
    [
      'a city-level publisher without the office role: unscoped',
      principal('city', '340100', ['publisher', 'implementer']),
      { levels: ALL },
    ],
    ['the admin: unscoped', principal('province', '340000', ['admin']), { levels: ALL }],
    [
      'a city office with the province as its region: no city at all',
      principal('city', '340000', ['office']),
      { city: '340000', levels: ['city'] },
    ],
  ])('%s', (_case, caller, expected) => {
    expect(entryScopeOf(caller)).toEqual(expected);
  });
});

describe('inScope', () => {
  const wuhu: EntryScope = { city: '340200', levels: ['city'] };
  const huangshan: EntryScope = { city: '341000', levels: ['city'] };
  const nowhere: EntryScope = { city: '340000', levels: ['city'] };
  const province: EntryScope = { levels: ['national', 'provincial', 'city'] };
  it.each<[EntryScope, string, boolean, string]>([
    [wuhu, '340200', true, 'the city itself'],
    [wuhu, '340223', true, 'a county of it (南陵县)'],
    [wuhu, '340100', false, 'another city (合肥)'],
    [wuhu, '340104', false, 'a county of another city'],
    [wuhu, '340000', false, 'the province'],
    [wuhu, '340299', false, 'not a real division'],
    [huangshan, '341100', false, '黄山 does not hold 滁州 (a prefix trap)'],
    [nowhere, '340000', false, 'no city reaches nothing, not even the province'],
    [province, '340100', true, 'province-wide'],
    [province, '340000', true, 'province-wide, the province itself'],
  ])('%o holds %s: %s (%s)', (scope, region, expected) => {
    expect(inScope(scope, region)).toBe(expected);
  });
});

describe('entryAccess', () => {
  const wuhu = entryScopeOf(principal('city', '340200', ['office']));
  const province = entryScopeOf(principal('province', '340000', ['office']));
  it.each([
    [wuhu, '340200', 'city', 'read', 'allowed'],
    [wuhu, '340200', 'city', 'decide', 'allowed'],
    [wuhu, '340202', 'provincial', 'read', 'allowed'],
    [wuhu, '340202', 'provincial', 'decide', 'forbidden'],
    [wuhu, '340200', 'national', 'decide', 'forbidden'],
    [wuhu, '340100', 'city', 'read', 'not-found'],
    [wuhu, '340100', 'provincial', 'decide', 'not-found'],
    [province, '340100', 'national', 'decide', 'allowed'],
    [province, '340000', 'provincial', 'read', 'allowed'],
  ] as const)('scope %o, entry in %s at %s level, %s: %s', (scope, region, identificationLevel, intent, expected) => {
    expect(entryAccess(scope, { region, identificationLevel }, intent)).toBe(expected);
  });
});

describe('targetRefusal', () => {
  const wuhu = entryScopeOf(principal('city', '340200', ['office']));
  it('lets a city office give its own city and the city level', () => {
    expect(targetRefusal(wuhu, { region: '340207', identificationLevel: 'city' })).toBeNull();
  });
  it('refuses another city on the region field first', () => {
    expect(targetRefusal(wuhu, { region: '340100', identificationLevel: 'provincial' })).toEqual({
      field: 'region',
      message: "region 340100 is outside the caller's city 340200 (芜湖市)",
    });
  });
  it.each(['provincial', 'national'] as const)('refuses the %s level on the identificationLevel field', (level) => {
    expect(targetRefusal(wuhu, { region: '340200', identificationLevel: level })).toEqual({
      field: 'identificationLevel',
      message: `the caller may not decide ${level}-level entries (only city)`,
    });
  });
  it('lets the provincial office give any region and level', () => {
    const province = entryScopeOf(principal('province', '340000', ['office']));
    expect(targetRefusal(province, { region: '340000', identificationLevel: 'national' })).toBeNull();
  });
});
