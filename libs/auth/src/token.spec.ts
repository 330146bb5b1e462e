import { generateKeyPairSync } from 'node:crypto';
import { issueToken, secretEquals, verifyToken } from './token';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const organization = { code: 'AH-TAX', name: '省税务局', level: 'province' as const, region: '340000' };

describe('tokens', () => {
  it('verifies a token it issued and returns the principal', () => {
    const { id, token } = issueToken(privateKey, { organization, roles: ['implementer'], label: '征管系统' });
    expect(verifyToken(publicKey, token)).toEqual({
      organization,
      roles: ['implementer'],
      tokenId: id,
      label: '征管系统',
    });
  });

  it('refuses a token signed by another key', () => {
    const { token } = issueToken(other.privateKey, { organization, roles: ['admin'] });
    expect(verifyToken(publicKey, token)).toBeNull();
  });

  it('refuses a token whose claims were changed', () => {
    const { token } = issueToken(privateKey, { organization, roles: ['implementer'] });
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

  it.each(['', 'Bearer x', 'jrp1.', 'jrp1.abc', 'jrp1.abc.def'])('refuses garbage %p', (token) => {
    expect(verifyToken(publicKey, token)).toBeNull();
  });

  it('compares secrets', () => {
    expect(secretEquals('a'.repeat(30), 'a'.repeat(30))).toBe(true);
    expect(secretEquals('a'.repeat(30), 'a'.repeat(29))).toBe(false);
  });
});
