import { createHash, createPublicKey, KeyObject, randomUUID, sign, timingSafeEqual, verify } from 'node:crypto';
import type { OrganizationLevel, Role } from '@jrp/contracts';
import { Principal } from './principal';

/** The claims a token carries. Short names keep tokens short. */
interface TokenClaims {
  v: 1;
  /** Which signing key: several verify keys are accepted during a key rotation. */
  kid: string;
  tid: string;
  org: string;
  name: string;
  lvl: OrganizationLevel;
  rgn: string;
  roles: Role[];
  lbl?: string;
  iat: number;
  /** Every token expires: a token without `exp` is refused. */
  exp: number;
}

const PREFIX = 'jrp1.';

const keyIds = new WeakMap<KeyObject, string>();

/** A key's id: the first 16 hex digits of the SHA-256 of its public key. */
export function keyIdOf(key: KeyObject): string {
  let id = keyIds.get(key);
  if (!id) {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    id = createHash('sha256')
      .update(publicKey.export({ format: 'der', type: 'spki' }))
      .digest('hex')
      .slice(0, 16);
    keyIds.set(key, id);
  }
  return id;
}

/**
 * Bearer tokens are signed (Ed25519) by the service that issues them (measures); every service
 * verifies them with the public key alone, without reading another service's tables. Only the token's
 * id and a SHA-256 digest are stored by the issuer. Every token carries its expiry.
 */
export function issueToken(
  key: KeyObject,
  subject: { organization: Principal['organization']; roles: Role[]; label?: string; expiresAt: Date },
  now = new Date(),
): { id: string; token: string; digest: string } {
  const claims: TokenClaims = {
    v: 1,
    kid: keyIdOf(key),
    tid: randomUUID(),
    org: subject.organization.code,
    name: subject.organization.name,
    lvl: subject.organization.level,
    rgn: subject.organization.region,
    roles: subject.roles,
    ...(subject.label ? { lbl: subject.label } : {}),
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(subject.expiresAt.getTime() / 1000),
  };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign(null, Buffer.from(PREFIX + body), key).toString('base64url');
  const token = `${PREFIX}${body}.${signature}`;
  return { id: claims.tid, token, digest: tokenDigest(token) };
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The principal of a valid, unexpired token signed by one of `keys`; null otherwise. A token without an
 * expiry (`exp`) is not valid, whoever signed it.
 */
export function verifyToken(
  keys: KeyObject | KeyObject[],
  token: string,
  now = new Date(),
): (Principal & { expiresAt: Date }) | null {
  if (!token.startsWith(PREFIX)) return null;
  const rest = token.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0) return null;
  const body = rest.slice(0, dot);
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return null;
  }
  if (claims?.v !== 1) return null;
  const key = (Array.isArray(keys) ? keys : [keys]).find((k) => keyIdOf(k) === claims.kid);
  if (!key) return null;
  try {
    if (!verify(null, Buffer.from(PREFIX + body), key, Buffer.from(rest.slice(dot + 1), 'base64url'))) return null;
  } catch {
    return null;
  }
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return null;
  if (claims.exp * 1000 <= now.getTime()) return null;
  return {
    organization: { code: claims.org, name: claims.name, level: claims.lvl, region: claims.rgn },
    roles: claims.roles,
    tokenId: claims.tid,
    label: claims.lbl,
    expiresAt: new Date(claims.exp * 1000),
  };
}

/** Constant-time comparison of a presented secret with the configured one. */
export function secretEquals(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
