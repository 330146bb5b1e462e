import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { generateKeyPairSync, sign } from 'node:crypto';
// the module object token.ts calls verify on (an ES namespace import would be a copy), hence require
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require('node:crypto') as typeof import('node:crypto');
import type { JrpConfig } from '@jrp/config';
import { AuthGuard } from './auth.guard';
import { ROLES_KEY } from './decorators';
import { RevocationList } from './revocation-list';
import { issueToken, keyIdOf } from './token';
import { TokenUsage } from './token-usage';
import { VerifiedTokens } from './verified-tokens';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
/** Every token carries an expiry. */
const expiresAt = new Date(Date.now() + 365 * 86400000);
const organization = {
  code: 'AH-RAILWAY',
  name: '中国铁路上海局集团有限公司合肥站',
  level: 'province' as const,
  region: '340000',
};

/** A route that needs the implementer role, as the guard sees it. */
function http(token: string): ExecutionContext {
  const handler = () => undefined;
  Reflect.defineMetadata(ROLES_KEY, ['implementer'], handler);
  const request = { headers: { authorization: `Bearer ${token}` }, ip: '127.0.0.1' };
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => class Route {},
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ setHeader: () => undefined }) }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard', () => {
  const config = { tokenVerifyKeys: [publicKey], rateLimitPerMinute: 100000 } as unknown as JrpConfig;
  let revocations: RevocationList;
  let guard: AuthGuard;
  beforeEach(() => {
    revocations = new RevocationList();
    guard = new AuthGuard(new Reflector(), config, revocations, new TokenUsage());
  });
  afterEach(() => jest.useRealTimers());

  it('verifies a token’s signature once, then answers its requests from what it verified', () => {
    const { token } = issueToken(privateKey, { organization, roles: ['implementer'], expiresAt });
    const verify = jest.spyOn(crypto, 'verify');
    try {
      for (let i = 0; i < 5; i++) expect(guard.canActivate(http(token))).toBe(true);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });

  it('refuses a token revoked after it was verified, at its next request', () => {
    const { id, token } = issueToken(privateKey, { organization, roles: ['implementer'], expiresAt });
    expect(guard.canActivate(http(token))).toBe(true);
    revocations.add(id);
    expect(() => guard.canActivate(http(token))).toThrow(UnauthorizedException);
  });

  it('refuses a token that expires after it was verified', () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T00:00:00Z') });
    const { token } = issueToken(privateKey, {
      organization,
      roles: ['implementer'],
      expiresAt: new Date('2026-11-30T00:00:10Z'),
    });
    expect(guard.canActivate(http(token))).toBe(true);
    jest.setSystemTime(new Date('2026-11-30T00:00:10Z'));
    expect(() => guard.canActivate(http(token))).toThrow(UnauthorizedException);
  });

  it('answers the admin token, a verified token beside it keeps its own principal', () => {
    const admin = new AuthGuard(
      new Reflector(),
      { ...config, adminToken: 'a'.repeat(40) } as JrpConfig,
      revocations,
      new TokenUsage(),
    );
    const route = (token: string) => {
      const context = http(token);
      Reflect.defineMetadata(ROLES_KEY, ['admin'], context.getHandler());
      return context;
    };
    expect(admin.canActivate(route('a'.repeat(40)))).toBe(true);
    const { token } = issueToken(privateKey, { organization, roles: ['implementer'], expiresAt });
    expect(admin.canActivate(http(token))).toBe(true);
    expect(() => admin.canActivate(route(token))).toThrow(/needs the role admin/); // cached now: still the railway
    expect(admin.canActivate(route('a'.repeat(40)))).toBe(true);
  });

  it('refuses a well-signed token that carries no expiry', () => {
    const claims = {
      v: 1,
      kid: keyIdOf(privateKey),
      tid: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
      org: organization.code,
      name: organization.name,
      lvl: organization.level,
      rgn: organization.region,
      roles: ['implementer'],
      iat: Math.floor(Date.now() / 1000),
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const token = `jrp1.${body}.${sign(null, Buffer.from(`jrp1.${body}`), privateKey).toString('base64url')}`;
    expect(() => guard.canActivate(http(token))).toThrow(UnauthorizedException);
  });

  it('hands the route a principal that knows when its token expires', () => {
    const { token } = issueToken(privateKey, { organization, roles: ['implementer'], expiresAt });
    const context = http(token);
    expect(guard.canActivate(context)).toBe(true);
    const { principal } = context.switchToHttp().getRequest<{ principal: { expiresAt: Date } }>();
    expect(principal.expiresAt.getTime()).toBe(Math.floor(expiresAt.getTime() / 1000) * 1000);
  });

  it('never takes a forged token for a verified one', () => {
    const { token } = issueToken(privateKey, { organization, roles: ['implementer'], expiresAt });
    expect(guard.canActivate(http(token))).toBe(true);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => guard.canActivate(http(forged))).toThrow(UnauthorizedException);
  });
});

describe('VerifiedTokens', () => {
  const principal = (code: string) => ({
    organization: { ...organization, code },
    roles: ['implementer' as const],
    tokenId: code,
  });

  it('keeps the most recently used tokens up to its capacity', () => {
    const tokens = new VerifiedTokens(2);
    tokens.set('a', principal('a'), Infinity);
    tokens.set('b', principal('b'), Infinity);
    expect(tokens.get('a', 0)?.tokenId).toBe('a'); // a is now the most recently used
    tokens.set('c', principal('c'), Infinity);
    expect(tokens.size).toBe(2);
    expect(tokens.get('b', 0)).toBeUndefined();
    expect(tokens.get('a', 0)?.tokenId).toBe('a');
    expect(tokens.get('c', 0)?.tokenId).toBe('c');
  });

  it('forgets a token at its expiry', () => {
    const tokens = new VerifiedTokens();
    tokens.set('a', principal('a'), 1000);
    expect(tokens.get('a', 999)?.tokenId).toBe('a');
    expect(tokens.get('a', 1000)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });
});
