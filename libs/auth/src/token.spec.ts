import { generateKeyPairSync, sign } from 'node:crypto';
import { issueToken, keyIdOf, secretEquals, verifyToken } from './token';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const organization = { code: 'AH-TAX', name: '省税务局', level: 'province' as const, region: '340000' };
/** Every token carries an expiry: a year from now unless a test says otherwise. */
const expiresAt = new Date(Date.now() + 365 * 86400000);

/** A token signed by the right key from claims of the test's choosing (what issueToken no longer makes). */
function signedClaims(claims: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `jrp1.${body}.${sign(null, Buffer.from(`jrp1.${body}`), privateKey).toString('base64url')}`;
}

describe('tokens', () => {
  it('verifies a token it issued and returns the principal', () => {
    const { id, token } = issueToken(privateKey, {
      organization,
      roles: ['implementer'],
      label: '征管系统',
      expiresAt,
    });
    expect(verifyToken(publicKey, token)).toEqual({
      organization,
      roles: ['implementer'],
      tokenId: id,
      label: '征管系统',
      expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000),
    });
  });

  it('refuses a token signed by another key', () => {
    const { token } = issueToken(other.privateKey, { organization, roles: ['admin'], expiresAt });
    expect(verifyToken(publicKey, token)).toBeNull();
  });

  it('refuses a token whose claims were changed', () => {
    const { token } = issueToken(privateKey, { organization, roles: ['implementer'], expiresAt });
    const [prefix, body, sig] = [token.slice(0, 5), ...token.slice(5).split('.')];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { roles: string[] };
    claims.roles = ['admin'];
    const forged = `${prefix}${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    expect(verifyToken(publicKey, forged)).toBeNull();
  });

  it('refuses an expired token', () => {
    const { token } = issueToken(
      privateKey,
      { organization, roles: ['implementer'], expiresAt: new Date('2026-01-01') },
      new Date('2025-01-01'),
    );
    expect(verifyToken(publicKey, token, new Date('2025-06-01'))).not.toBeNull();
    expect(verifyToken(publicKey, token, new Date('2026-01-02'))).toBeNull();
  });

  it.each([
    ['without an expiry', undefined],
    ['whose expiry is not a number', '2099-01-01'],
    ['whose expiry is null', null],
  ])('refuses a token %s, although its signature is good', (_, exp) => {
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
    expect(verifyToken(publicKey, signedClaims(claims))).toBeNull();
    expect(verifyToken(publicKey, signedClaims({ ...claims, exp }))).toBeNull();
    // the same claims with an expiry verify: the refusal is the missing expiry's
    expect(verifyToken(publicKey, signedClaims({ ...claims, exp: claims.iat + 3600 }))).toMatchObject({
      tokenId: claims.tid,
    });
  });

  it.each(['', 'Bearer x', 'jrp1.', 'jrp1.abc', 'jrp1.abc.def'])('refuses garbage %p', (token) => {
    expect(verifyToken(publicKey, token)).toBeNull();
  });

  it('compares secrets', () => {
    expect(secretEquals('a'.repeat(30), 'a'.repeat(30))).toBe(true);
    expect(secretEquals('a'.repeat(30), 'a'.repeat(29))).toBe(false);
  });
});
