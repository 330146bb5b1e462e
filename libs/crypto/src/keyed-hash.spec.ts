import { createHmac } from 'node:crypto';
import { HashAlgorithm, SUBKEY_INFO, deriveSubkey, parseKeyRing } from './key-ring';
import { KeyedHash, normalizeForHash } from './keyed-hash';

const K1 = Buffer.alloc(32, 0x11).toString('base64');
const K2 = Buffer.alloc(32, 0x22).toString('base64');
const ringK1 = parseKeyRing(`k1:${K1}`);
const ringK2K1 = parseKeyRing(`k2:${K2},k1:${K1}`);
const ID = '11010519491231002X';
const NS = 'list_entries.subject_id_number';

describe.each<HashAlgorithm>(['hmac-sm3', 'hmac-sha256'])('KeyedHash (%s)', (algorithm) => {
  const hasher = new KeyedHash(ringK1, algorithm);

  it('is deterministic lowercase hex without a key id prefix', () => {
    const hash = hasher.hash(ID, NS);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new KeyedHash(parseKeyRing(`k1:${K1}`), algorithm).hash(ID, NS)).toBe(hash);
  });

  it('normalises whitespace, case and full-width characters', () => {
    const hash = hasher.hash(ID, NS);
    expect(hasher.hash('  11010519491231002x\t', NS)).toBe(hash);
    expect(hasher.hash('１１０１０５１９４９１２３１００２ｘ', NS)).toBe(hash);
    expect(hasher.hash('110105194912310021', NS)).not.toBe(hash);
  });

  it('differs by key, namespace and value', () => {
    const hash = hasher.hash(ID, NS);
    expect(new KeyedHash(ringK2K1, algorithm).hash(ID, NS)).not.toBe(hash);
    expect(hasher.hash(ID, 'feedback.subject')).not.toBe(hash);
    expect(hasher.hash(ID)).not.toBe(hash);
    // Namespace and value are length-prefixed, so moving characters between them changes the hash.
    expect(hasher.hash('BC', 'a')).not.toBe(hasher.hash('C', 'aB'));
  });

  it('hashes under the current key, and under a retired key on request', () => {
    const rotated = new KeyedHash(ringK2K1, algorithm);
    expect(rotated.hashWith('k1', ID, NS)).toBe(hasher.hash(ID, NS));
    expect(rotated.hashWith('k2', ID, NS)).toBe(rotated.hash(ID, NS));
    expect(() => rotated.hashWith('k3', ID, NS)).toThrow(/unknown key id "k3"/);
  });
});

describe('KeyedHash', () => {
  it('differs by algorithm', () => {
    expect(new KeyedHash(ringK1, 'hmac-sm3').hash(ID)).not.toBe(new KeyedHash(ringK1, 'hmac-sha256').hash(ID));
  });

  it('is HMAC over the length-prefixed namespace and normalised value, with an HKDF subkey', () => {
    const message = Buffer.concat([
      Buffer.from([0, 0, 0, 2]),
      Buffer.from('ns'),
      Buffer.from([0, 0, 0, 3]),
      Buffer.from('AB1'),
    ]);
    const key = ringK1.current();
    expect(new KeyedHash(ringK1, 'hmac-sm3').hash(' ab1 ', 'ns')).toBe(
      createHmac('sm3', deriveSubkey(key, SUBKEY_INFO.hmacSm3Lookup)).update(message).digest('hex'),
    );
    expect(new KeyedHash(ringK1, 'hmac-sha256').hash(' ab1 ', 'ns')).toBe(
      createHmac('sha256', deriveSubkey(key, SUBKEY_INFO.hmacSha256Lookup)).update(message).digest('hex'),
    );
  });

  it('rejects bad arguments', () => {
    expect(() => new KeyedHash(ringK1, 'md5' as HashAlgorithm)).toThrow(/unknown hash algorithm "md5"/);
    expect(() => new KeyedHash(ringK1, 'hmac-sm3').hash('\uD800')).toThrow(/unpaired UTF-16 surrogate/);
  });

  it('normalizeForHash trims, upper-cases and folds full-width forms', () => {
    expect(normalizeForHash('\u3000 ４４０５２４１８８００１０１００１x ')).toBe('44052418800101001X');
  });
});
