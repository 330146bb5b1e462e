import { createHash, KeyObject, randomUUID, sign, timingSafeEqual, verify } from 'node:crypto';
import type { OrganizationLevel, Role } from '@jrp/contracts';
import { Principal } from './principal';

/** The claims a token carries. Short names keep tokens short. */
interface TokenClaims {
  v: 1;
  tid: string;
  org: string;
  name: string;
  lvl: OrganizationLevel;
  rgn: string;
  roles: Role[];
  lbl?: string;
  iat: number;
  exp?: number;
}

const PREFIX = 'jrp1.';

/**
 * Bearer tokens are signed (Ed25519) by the service that issues them (measures); every service
 * verifies them with the public key alone, without reading another service's tables. Only the token's
 * id and a SHA-256 digest are stored by the issuer.
 */
export function issueToken(
  key: KeyObject,
  subject: { organization: Principal['organization']; roles: Role[]; label?: string; expiresAt?: Date },
  now = new Date(),
): { id: string; token: string; digest: string } {
  const claims: TokenClaims = {
    v: 1,
    tid: randomUUID(),
    org: subject.organization.code,
    name: subject.organization.name,
    lvl: subject.organization.level,
    rgn: subject.organization.region,
    roles: subject.roles,
    ...(subject.label ? { lbl: subject.label } : {}),
    iat: Math.floor(now.getTime() / 1000),
    ...(subject.expiresAt ? { exp: Math.floor(subject.expiresAt.getTime() / 1000) } : {}),
  };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign(null, Buffer.from(PREFIX + body), key).toString('base64url');
  const token = `${PREFIX}${body}.${signature}`;
  return { id: claims.tid, token, digest: tokenDigest(token) };
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The principal of a valid, unexpired token; null otherwise. */
export function verifyToken(key: KeyObject, token: string, now = new Date()): Principal | null {
  if (!token.startsWith(PREFIX)) return null;
  const rest = token.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0) return null;
  const body = rest.slice(0, dot);
  const signature = Buffer.from(rest.slice(dot + 1), 'base64url');
  let valid = false;
  try {
    valid = verify(null, Buffer.from(PREFIX + body), key, signature);
  } catch {
    return null;
  }
  if (!valid) return null;
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return null;
  }
  if (claims.v !== 1) return null;
  if (claims.exp !== undefined && claims.exp * 1000 <= now.getTime()) return null;
  return {
    organization: { code: claims.org, name: claims.name, level: claims.lvl, region: claims.rgn },
    roles: claims.roles,
    tokenId: claims.tid,
    label: claims.lbl,
  };
}

/** Constant-time comparison of a presented secret with the configured one. */
export function secretEquals(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
