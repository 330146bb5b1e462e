import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { CryptoError } from './errors';
import { KeyRing, SUBKEY_INFO, deriveSubkey, generateKeySpec, parseKeyRing } from './key-ring';

const k = (byte: number) => Buffer.alloc(32, byte).toString('base64');

describe('KeyRing', () => {
  it('takes the first entry of a spec as current and keeps the order', () => {
    const ring = parseKeyRing(`k2:${k(2)}, k1:${k(1)}`);
    expect(ring.current().id).toBe('k2');
    expect(ring.current().key).toEqual(Buffer.alloc(32, 2));
    expect(ring.ids()).toEqual(['k2', 'k1']);
    expect(ring.get('k1')?.key).toEqual(Buffer.alloc(32, 1));
    expect(ring.get('k9')).toBeUndefined();
  });

  it('accepts url-safe base64 and surrounding whitespace', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    const ring = parseKeyRing(`  a_b-1:${key.toString('base64url')}\n`);
    expect(ring.get('a_b-1')?.key).toEqual(key);
  });

  it('copies the keys it is given', () => {
    const key = Buffer.alloc(32, 7);
    const ring = new KeyRing([{ id: 'k1', key }], 'k1');
    key.fill(0);
    expect(ring.current().key).toEqual(Buffer.alloc(32, 7));
  });

  it.each([
    ['an empty spec', '', /empty/],
    ['a blank spec', '   ', /empty/],
    ['an empty entry', `k1:${k(1)},`, /entry #2 is empty/],
    ['a missing id', k(1), /entry #1: expected "<id>:<base64 key>"/],
    ['an id with a space', `bad id:${k(1)}`, /entry #1: invalid key id "bad id"/],
    ['an empty id', `:${k(1)}`, /entry #1: invalid key id ""/],
    ['a 19-character id', `k1:${k(1)},toolongkeyid1234567:${k(2)}`, /entry #2: invalid key id \(19 characters\)/],
    [
      'a 16-byte key',
      `k1:${Buffer.alloc(16, 1).toString('base64')}`,
      /entry #1 \(id "k1"\): key must be 32 bytes, got 16/,
    ],
    [
      'a 33-byte key',
      `k1:${Buffer.alloc(33, 1).toString('base64')}`,
      /entry #1 \(id "k1"\): key must be 32 bytes, got 33/,
    ],
    ['a non-base64 key', 'k1:not base64!', /entry #1 \(id "k1"\): key is not base64/],
    ['a duplicate id', `k1:${k(1)},k2:${k(2)},k1:${k(3)}`, /entry #3: duplicate key id "k1"/],
  ])('rejects %s', (_label, spec, message) => {
    expect(() => parseKeyRing(spec)).toThrow(CryptoError);
    expect(() => parseKeyRing(spec)).toThrow(message);
  });

  it('never prints key material in parse errors', () => {
    const secret = randomBytes(32).toString('base64');
    const specs = [
      secret,
      `k1:${secret}x`,
      `k1:${secret.slice(0, 20)}`,
      `${secret}:${secret}`,
      `k1:${secret},k1:${secret}`,
    ];
    for (const spec of specs) {
      let message = '';
      try {
        parseKeyRing(spec);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain(secret.slice(0, 12));
    }
  });

  it('validates the constructor arguments', () => {
    const key = Buffer.alloc(32, 1);
    expect(() => new KeyRing([], 'k1')).toThrow(/empty/);
    expect(() => new KeyRing([{ id: 'k.1', key }], 'k.1')).toThrow(/invalid key id "k.1"/);
    expect(() => new KeyRing([{ id: 'k1', key: Buffer.alloc(31) }], 'k1')).toThrow(/32 bytes, got 31 bytes/);
    expect(
      () =>
        new KeyRing(
          [
            { id: 'k1', key },
            { id: 'k1', key },
          ],
          'k1',
        ),
    ).toThrow(/duplicate key id "k1"/);
    expect(() => new KeyRing([{ id: 'k1', key }], 'k2')).toThrow(/current key id "k2" is not in the key ring/);
  });

  it('shows only ids when inspected or serialised', () => {
    const key = randomBytes(32);
    const ring = new KeyRing([{ id: 'k1', key }], 'k1');
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- on purpose: whatever String() shows must hold no key
    for (const shown of [inspect(ring, { depth: 5 }), JSON.stringify(ring), String(ring)]) {
      expect(shown).not.toContain(key.toString('base64').slice(0, 12));
      expect(shown).not.toContain(key.toString('hex').slice(0, 12));
    }
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ current: 'k1', ids: ['k1'] });
    expect(inspect(ring)).toBe("KeyRing { current: 'k1', ids: ['k1'] }");
  });
});

describe('generateKeySpec', () => {
  it('produces a parseable entry with 32 random bytes', () => {
    const a = parseKeyRing(generateKeySpec('k7'));
    const b = parseKeyRing(generateKeySpec('k7'));
    expect(a.current().id).toBe('k7');
    expect(a.current().key).toHaveLength(32);
    expect(a.current().key.equals(b.current().key)).toBe(false);
  });

  it('defaults to a valid, time-based id and rejects bad ids', () => {
    const ring = parseKeyRing(generateKeySpec());
    expect(ring.current().id).toMatch(/^k[0-9a-z]+$/);
    expect(() => generateKeySpec('no good')).toThrow(/invalid key id/);
  });
});

describe('deriveSubkey', () => {
  const ring = parseKeyRing(`k1:${k(1)},k2:${k(2)}`);

  it('derives distinct, deterministic subkeys per purpose and key', () => {
    const k1 = ring.get('k1')!;
    const subkeys = Object.values(SUBKEY_INFO).map((info) => deriveSubkey(k1, info).toString('hex'));
    expect(new Set(subkeys).size).toBe(subkeys.length);
    expect(subkeys).not.toContain(k1.key.toString('hex'));
    expect(deriveSubkey(k1, SUBKEY_INFO.sm4Enc, 16)).toHaveLength(16);
    expect(deriveSubkey(parseKeyRing(`k1:${k(1)}`).current(), SUBKEY_INFO.aes256Gcm)).toEqual(
      deriveSubkey(k1, SUBKEY_INFO.aes256Gcm),
    );
    expect(deriveSubkey(ring.get('k2')!, SUBKEY_INFO.aes256Gcm)).not.toEqual(deriveSubkey(k1, SUBKEY_INFO.aes256Gcm));
  });

  it('is HKDF-SHA256 with an empty salt', () => {
    // RFC 5869-style computation done by hand with HMAC, as an independent check.
    const prk = createHmac('sha256', Buffer.alloc(32)).update(Buffer.alloc(32, 1)).digest();
    const okm = createHmac('sha256', prk)
      .update(Buffer.concat([Buffer.from('jrp/aes-256-gcm'), Buffer.from([1])]))
      .digest();
    expect(deriveSubkey(ring.get('k1')!, SUBKEY_INFO.aes256Gcm)).toEqual(okm);
  });
});
