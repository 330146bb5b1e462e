import { Principal, reachOf } from './principal';

const principal = (
  level: Principal['organization']['level'],
  roles: Principal['roles'],
  region = level === 'province' ? '340000' : '340200',
): Principal => ({
  organization: { code: 'AH-X', name: '某部门', level, region },
  roles,
  tokenId: 't1',
});

describe('reachOf', () => {
  it.each([
    ['an implementing organisation: its own', principal('province', ['implementer']), { organization: 'AH-X' }],
    ['a city implementer: still only its own', principal('city', ['implementer']), { organization: 'AH-X' }],
    ['the provincial office: everything', principal('province', ['office']), {}],
    ['a city office: its city', principal('city', ['office']), { city: '340200' }],
    [
      "a county office (南陵县): its county's city, as for entries",
      principal('county', ['office'], '340223'),
      { city: '340200' },
    ],
    [
      'an office whose region is no Anhui division: that code, which holds nothing',
      principal('city', ['office'], '999999'),
      { city: '999999' },
    ],
  ])('%s', (_case, caller, expected) => {
    expect(reachOf(caller)).toEqual(expected);
  });
});
