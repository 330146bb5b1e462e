import * as crypto from './index';

describe('@jrp/crypto index', () => {
  it('exports the public API', () => {
    for (const name of [
      'KeyRing',
      'parseKeyRing',
      'generateKeySpec',
      'FieldCipher',
      'KeyedHash',
      'redactIdNumbers',
      'containsIdNumber',
      'CryptoError',
    ]) {
      expect(crypto).toHaveProperty(name);
    }
  });

  it('works end to end from a generated spec', () => {
    const ring = crypto.parseKeyRing(`${crypto.generateKeySpec('k2')},${crypto.generateKeySpec('k1')}`);
    const cipher = new crypto.FieldCipher(ring, 'sm4');
    const hash = new crypto.KeyedHash(ring, 'hmac-sm3');
    const stored = cipher.encrypt('11010519491231002X', 'list_entries.subject_id_number');
    expect(cipher.decrypt(stored, 'list_entries.subject_id_number')).toBe('11010519491231002X');
    expect(hash.hash('11010519491231002x')).toBe(hash.hash('11010519491231002X'));
  });
});
