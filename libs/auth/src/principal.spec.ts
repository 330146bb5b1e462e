import { Principal, reachOf } from './principal';

const principal = (level: Principal['organization']['level'], roles: Principal['roles']): Principal => ({
  organization: { code: 'AH-X', name: '某部门', level, region: level === 'province' ? '340000' : '340200' },
  roles,
  tokenId: 't1',
});

describe('reachOf', () => {
  it.each([
    ['an implementing organisation: its own', principal('province', ['implementer']), { organization: 'AH-X' }],
    ['a city implementer: still only its own', principal('city', ['implementer']), { organization: 'AH-X' }],
    ['the provincial office: everything', principal('province', ['office']), {}],
    ['a city office: its city', principal('city', ['office']), { city: '340200' }],
  ])('%s', (_case, caller, expected) => {
    expect(reachOf(caller)).toEqual(expected);
  });
});
