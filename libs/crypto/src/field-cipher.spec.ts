import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { CryptoError } from './errors';
import { FieldCipher } from './field-cipher';
import { CipherAlgorithm, SUBKEY_INFO, deriveSubkey, parseKeyRing } from './key-ring';

const K1 = Buffer.alloc(32, 0x11).toString('base64');
const K2 = Buffer.alloc(32, 0x22).toString('base64');
const ringK1 = parseKeyRing(`k1:${K1}`);
const ringK2K1 = parseKeyRing(`k2:${K2},k1:${K1}`);
const CONTEXT = 'list_entries.subject_id_number';
const ID = '11010519491231002X';
const ALGORITHMS: CipherAlgorithm[] = ['sm4', 'aes-256-gcm'];
const CODE = { sm4: 's4', 'aes-256-gcm': 'ag' } as const;

/** Flips one bit of the decoded bytes of part `index` and re-encodes it canonically. */
function flipBit(ciphertext: string, index: number, bit: number): string {
  const parts = ciphertext.split('.');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[bit >> 3] ^= 1 << (bit & 7);
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

function replacePart(ciphertext: string, index: number, value: string): string {
  const parts = ciphertext.split('.');
  parts[index] = value;
  return parts.join('.');
}

function lengthPrefixed(parts: Array<string | Buffer>): Buffer {
  return Buffer.concat(
    parts.flatMap((p) => {
      const bytes = Buffer.from(p);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}

describe('the national algorithms are real (known-answer tests)', () => {
  it('SM4: GB/T 32907 single-block vector', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const cipher = createCipheriv('sm4-ecb', key, null);
    cipher.setAutoPadding(false);
    const out = Buffer.concat([cipher.update(key), cipher.final()]);
    expect(out.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('SM3: GB/T 32905 vector for "abc"', () => {
    expect(createHash('sm3').update('abc').digest('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });
});

describe.each(ALGORITHMS)('FieldCipher (%s)', (algorithm) => {
  const cipher = new FieldCipher(ringK1, algorithm);
  const code = CODE[algorithm];
  const nonceBytes = algorithm === 'sm4' ? 16 : 12;

  it.each([
    ['an ID number', ID],
    ['Chinese text', '张三，身份证号 11010519491231002X，住址：北京市东城区 😀'],
    ['the empty string', ''],
    ['a long value', '数据'.repeat(5000)],
  ])('round-trips %s', (_label, plaintext) => {
    const encrypted = cipher.encrypt(plaintext, CONTEXT);
    expect(cipher.decrypt(encrypted, CONTEXT)).toBe(plaintext);
    expect(FieldCipher.isCiphertext(encrypted)).toBe(true);
  });

  it('writes the documented, ASCII-only format', () => {
    const encrypted = cipher.encrypt(ID, CONTEXT);
    expect(encrypted).toMatch(/^v1\.(s4|ag)\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/);
    const [, alg, , nonce, body, tag] = encrypted.split('.');
    expect(alg).toBe(code);
    expect(Buffer.from(nonce, 'base64url')).toHaveLength(nonceBytes);
    expect(Buffer.from(body, 'base64url')).toHaveLength(Buffer.byteLength(ID));
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    expect((JSON.parse(JSON.stringify({ v: encrypted })) as { v: unknown }).v).toBe(encrypted);
    expect(encrypted).not.toContain(ID);
  });

  it('is randomised and treats a missing context as the empty one', () => {
    expect(cipher.encrypt(ID)).not.toBe(cipher.encrypt(ID));
    expect(cipher.decrypt(cipher.encrypt(ID), '')).toBe(ID);
    expect(cipher.decrypt(cipher.encrypt(ID, ''))).toBe(ID);
  });

  it('fails with a wrong context', () => {
    const encrypted = cipher.encrypt(ID, CONTEXT);
    expect(() => cipher.decrypt(encrypted, 'feedback.subject_id_number')).toThrow(/authentication failed/);
    expect(() => cipher.decrypt(encrypted)).toThrow(/authentication failed/);
    expect(() => cipher.decrypt(cipher.encrypt(ID), CONTEXT)).toThrow(/authentication failed/);
  });

  it('detects every single-bit change of the nonce, ciphertext and tag', () => {
    const encrypted = cipher.encrypt('110101199003074477', CONTEXT);
    for (const [index, bytes] of [
      [3, nonceBytes],
      [4, 18],
      [5, 16],
    ]) {
      for (let bit = 0; bit < bytes * 8; bit++) {
        expect(() => cipher.decrypt(flipBit(encrypted, index, bit), CONTEXT)).toThrow(CryptoError);
      }
    }
  });

  it('detects truncated, extended or re-encoded parts', () => {
    const encrypted = cipher.encrypt(ID, CONTEXT);
    const [, , , nonce, body, tag] = encrypted.split('.');
    const bodyBytes = Buffer.from(body, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    const tampered = [
      replacePart(encrypted, 4, bodyBytes.subarray(0, -1).toString('base64url')),
      replacePart(encrypted, 4, Buffer.concat([bodyBytes, Buffer.from([0])]).toString('base64url')),
      replacePart(encrypted, 4, ''),
      replacePart(encrypted, 5, tagBytes.subarray(0, 12).toString('base64url')), // GCM would accept a short tag
      replacePart(encrypted, 5, Buffer.concat([tagBytes, Buffer.from([0])]).toString('base64url')),
      replacePart(encrypted, 3, nonce.slice(0, -1) + (nonce.endsWith('A') ? 'B' : 'A')), // non-canonical / other value
      replacePart(encrypted, 4, body + '='),
      replacePart(encrypted, 4, body.replace(/^./, '+')),
      `${encrypted}.`,
      encrypted.split('.').slice(0, 5).join('.'),
    ];
    for (const value of tampered) expect(() => cipher.decrypt(value, CONTEXT)).toThrow(CryptoError);
  });

  it('detects a changed version, algorithm or key id', () => {
    const both = new FieldCipher(ringK2K1, algorithm);
    const encrypted = both.encrypt(ID, CONTEXT); // under k2
    expect(() => both.decrypt(replacePart(encrypted, 0, 'v2'), CONTEXT)).toThrow(/unsupported ciphertext version/);
    expect(() => both.decrypt(replacePart(encrypted, 1, code === 's4' ? 'ag' : 's4'), CONTEXT)).toThrow(CryptoError);
    expect(() => both.decrypt(replacePart(encrypted, 1, 'xx'), CONTEXT)).toThrow(/unsupported ciphertext algorithm/);
    expect(() => both.decrypt(replacePart(encrypted, 2, 'k1'), CONTEXT)).toThrow(/authentication failed/);
    expect(() => both.decrypt(replacePart(encrypted, 2, 'k3'), CONTEXT)).toThrow(/unknown key id "k3"/);
    expect(() => both.decrypt(replacePart(encrypted, 2, 'k 1'), CONTEXT)).toThrow(/bad key id/);
  });

  it('names an unknown key id without revealing key material', () => {
    const newer = new FieldCipher(ringK2K1, algorithm).encrypt(ID, CONTEXT);
    let message = '';
    try {
      cipher.decrypt(newer, CONTEXT);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"k2"');
    for (const key of [K1, K2]) {
      const bytes = Buffer.from(key, 'base64');
      for (const shown of [key, bytes.toString('hex'), bytes.toString('base64url')])
        expect(message).not.toContain(shown.slice(0, 8));
    }
  });

  it('rotates from k1 to "k2,k1"', () => {
    const old = cipher.encrypt(ID, CONTEXT);
    const rotating = new FieldCipher(ringK2K1, algorithm);
    expect(rotating.decrypt(old, CONTEXT)).toBe(ID);
    expect(rotating.needsRotation(old)).toBe(true);
    const rotated = rotating.rotate(old, CONTEXT);
    expect(rotated.startsWith(`v1.${code}.k2.`)).toBe(true);
    expect(rotating.decrypt(rotated, CONTEXT)).toBe(ID);
    expect(rotating.needsRotation(rotated)).toBe(false);
    expect(rotating.rotate(rotated, CONTEXT)).toBe(rotated);
    expect(() => rotating.rotate(old, 'other.column')).toThrow(/authentication failed/);
  });
});

describe('FieldCipher across algorithms and formats', () => {
  it('switching the algorithm keeps old data readable and marks it for rotation', () => {
    const sm4 = new FieldCipher(ringK2K1, 'sm4');
    const aes = new FieldCipher(ringK2K1, 'aes-256-gcm');
    const s4 = sm4.encrypt(ID, CONTEXT);
    const ag = aes.encrypt(ID, CONTEXT);
    expect(aes.decrypt(s4, CONTEXT)).toBe(ID);
    expect(sm4.decrypt(ag, CONTEXT)).toBe(ID);
    expect(aes.needsRotation(s4)).toBe(true);
    expect(sm4.needsRotation(ag)).toBe(true);
    expect(aes.rotate(s4, CONTEXT)).toMatch(/^v1\.ag\.k2\./);
    expect(sm4.rotate(ag, CONTEXT)).toMatch(/^v1\.s4\.k2\./);
  });

  it('s4 is SM4-CTR + HMAC-SM3/128 over the length-prefixed header, iv, ciphertext and context', () => {
    const encrypted = new FieldCipher(ringK1, 'sm4').encrypt(ID, CONTEXT);
    const [, , , iv64, body64, tag64] = encrypted.split('.');
    const [iv, body, tag] = [iv64, body64, tag64].map((p) => Buffer.from(p, 'base64url'));
    const key = ringK1.current();
    const mac = createHmac('sm3', deriveSubkey(key, SUBKEY_INFO.sm4Mac))
      .update(lengthPrefixed(['v1', 's4', 'k1', iv, body, CONTEXT]))
      .digest();
    expect(tag).toEqual(mac.subarray(0, 16));
    const decipher = createDecipheriv('sm4-ctr', deriveSubkey(key, SUBKEY_INFO.sm4Enc, 16), iv);
    expect(Buffer.concat([decipher.update(body), decipher.final()]).toString()).toBe(ID);
  });

  it('ag is AES-256-GCM with the length-prefixed header and context as AAD', () => {
    const encrypted = new FieldCipher(ringK1, 'aes-256-gcm').encrypt(ID, CONTEXT);
    const [, , , nonce64, body64, tag64] = encrypted.split('.');
    const [nonce, body, tag] = [nonce64, body64, tag64].map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', deriveSubkey(ringK1.current(), SUBKEY_INFO.aes256Gcm), nonce);
    decipher.setAAD(lengthPrefixed(['v1', 'ag', 'k1', CONTEXT]));
    decipher.setAuthTag(tag);
    expect(Buffer.concat([decipher.update(body), decipher.final()]).toString()).toBe(ID);
  });

  it('never echoes the input in errors (a column may hold a plaintext ID number)', () => {
    const cipher = new FieldCipher(ringK1, 'sm4');
    for (const value of [ID, `v1.s4.k1.${ID}`, `v1.s4.k1.${ID}.${ID}.${ID}`, `v9.s4.k1.a.${ID}.b`]) {
      expect(() => cipher.decrypt(value)).toThrow(CryptoError);
      try {
        cipher.decrypt(value);
      } catch (error) {
        expect((error as Error).message).not.toContain(ID);
      }
      expect(() => cipher.needsRotation(value)).toThrow(CryptoError);
      expect(FieldCipher.isCiphertext(value)).toBe(false);
    }
  });

  it('rejects bad arguments', () => {
    expect(() => new FieldCipher(ringK1, 'des' as CipherAlgorithm)).toThrow(/unknown cipher algorithm "des"/);
    const cipher = new FieldCipher(ringK1, 'sm4');
    expect(() => cipher.encrypt('\uD800')).toThrow(/unpaired UTF-16 surrogate/);
    expect(() => cipher.encrypt(ID, 'ctx\uDC00')).toThrow(/unpaired UTF-16 surrogate/);
    expect(() => cipher.encrypt(123 as unknown as string)).toThrow(/must be a string/);
    expect(FieldCipher.isCiphertext(undefined)).toBe(false);
  });
});
