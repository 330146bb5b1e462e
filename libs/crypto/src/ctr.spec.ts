import { createCipheriv, randomBytes } from 'node:crypto';
import { CounterMode, NoncePool } from './ctr';

/** What OpenSSL's own counter mode gives, a new cipher for each value (how FieldCipher encrypted before). */
function openssl(algorithm: 'sm4-ctr' | 'aes-128-ctr', key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv(algorithm, key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

describe('CounterMode', () => {
  const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
  const counter = new CounterMode('sm4-ecb', key);

  it.each<[string, Buffer]>([
    ['a random IV', randomBytes(16)],
    ['an IV whose last byte carries', Buffer.from('000102030405060708090a0b0c0d0eff', 'hex')],
    ['an IV whose low 64 bits carry into the high ones', Buffer.from('0001020304050607ffffffffffffffff', 'hex')],
    ['the highest IV (wraps to zero)', Buffer.alloc(16, 0xff)],
    ['a zero IV', Buffer.alloc(16)],
  ])('equals OpenSSL sm4-ctr for %s, at every length from 0 to 300 bytes', (_, iv) => {
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length);
      expect(counter.apply(iv, data).equals(openssl('sm4-ctr', key, iv, data))).toBe(true);
    }
  });

  it('equals OpenSSL on an AES key too, and keeps no state between values', () => {
    const aes = new CounterMode('aes-128-ecb', key);
    for (let i = 0; i < 200; i++) {
      const iv = randomBytes(16);
      const data = randomBytes(i % 70);
      expect(aes.apply(iv, data).equals(openssl('aes-128-ctr', key, iv, data))).toBe(true);
    }
  });

  it('decrypts what it encrypted', () => {
    const iv = randomBytes(16);
    const plain = Buffer.from('11010519491231002X', 'utf8');
    expect(counter.apply(iv, counter.apply(iv, plain)).equals(plain)).toBe(true);
  });

  it('refuses an IV that is not one block', () => {
    expect(() => counter.apply(Buffer.alloc(12), Buffer.alloc(1))).toThrow(RangeError);
  });
});

describe('NoncePool', () => {
  it('never gives the same bytes twice, across refills, and copies them out of the pool', () => {
    const pool = new NoncePool();
    const seen = new Set<string>();
    const taken: Buffer[] = [];
    for (let i = 0; i < 2000; i++) {
      const nonce = pool.take(i % 2 ? 16 : 12);
      expect(nonce.length).toBe(i % 2 ? 16 : 12);
      seen.add(nonce.toString('hex'));
      taken.push(nonce);
    }
    expect(seen.size).toBe(2000);
    const first = Buffer.from(taken[0]);
    for (let i = 0; i < 1000; i++) pool.take(16); // refills the pool several times
    expect(taken[0].equals(first)).toBe(true);
  });
});
