import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { CounterMode, NoncePool } from './ctr';
import { assertWellFormed, fromBase64Url, lengthPrefixed, toBase64Url } from './encoding';
import { CryptoError } from './errors';
import { CipherAlgorithm, DataKey, KEY_ID_PATTERN, KeyRing, SUBKEY_INFO, deriveSubkey } from './key-ring';

const VERSION = 'v1';
const TAG_BYTES = 16;

/** Per-algorithm parameters; `code` is the two-letter tag written into the ciphertext. */
const SCHEMES = {
  s4: { algorithm: 'sm4', nonceBytes: 16 },
  ag: { algorithm: 'aes-256-gcm', nonceBytes: 12 },
} as const satisfies Record<string, { algorithm: CipherAlgorithm; nonceBytes: number }>;
type SchemeCode = keyof typeof SCHEMES;

const CODE_OF: Record<CipherAlgorithm, SchemeCode> = { sm4: 's4', 'aes-256-gcm': 'ag' };

interface Parsed {
  code: SchemeCode;
  keyId: string;
  nonce: Buffer;
  body: Buffer;
  tag: Buffer;
}

/**
 * Authenticated encryption of single text fields (e.g. ID numbers), producing ASCII strings
 *   v1.<alg>.<keyId>.<base64url(nonce)>.<base64url(ciphertext)>.<base64url(tag)>
 * - alg "s4": SM4-CTR (random 16-byte IV), then HMAC-SM3 truncated to 16 bytes over the
 *   length-prefixed (version, alg, keyId, iv, ciphertext, context) — encrypt-then-MAC.
 * - alg "ag": AES-256-GCM (random 12-byte nonce, 16-byte tag); the AAD is the length-prefixed
 *   (version, alg, keyId, context), so the header is authenticated too.
 * `context` (default '') binds a ciphertext to where it is stored, e.g. 'list_entries.subject_id_number':
 * a value copied to another column does not decrypt there. An omitted context equals ''.
 * Subkeys come from the ring's master keys via HKDF (see key-ring.ts). Encryption is randomised,
 * so ciphertexts cannot be compared for equality: use KeyedHash for lookups.
 */
export class FieldCipher {
  readonly #ring: KeyRing;
  readonly #code: SchemeCode;

  constructor(ring: KeyRing, algorithm: CipherAlgorithm) {
    if (!(ring instanceof KeyRing)) throw new CryptoError('FieldCipher needs a KeyRing');
    if (!Object.hasOwn(CODE_OF, algorithm))
      throw new CryptoError(`unknown cipher algorithm ${JSON.stringify(String(algorithm))}`);
    this.#ring = ring;
    this.#code = CODE_OF[algorithm];
  }

  encrypt(plaintext: string, context = ''): string {
    assertWellFormed(plaintext, 'plaintext');
    assertWellFormed(context, 'context');
    const key = this.#ring.current();
    const nonce = nonces.take(SCHEMES[this.#code].nonceBytes);
    const data = Buffer.from(plaintext, 'utf8');
    const [body, tag] = this.#code === 's4' ? sm4Seal(key, nonce, data, context) : gcmSeal(key, nonce, data, context);
    return [VERSION, this.#code, key.id, toBase64Url(nonce), toBase64Url(body), toBase64Url(tag)].join('.');
  }

  /** Throws CryptoError on malformed input, unknown key id, tampering or a wrong context. */
  decrypt(ciphertext: string, context = ''): string {
    assertWellFormed(context, 'context');
    const parsed = parse(ciphertext);
    const key = this.#ring.get(parsed.keyId);
    if (!key) throw new CryptoError(`unknown key id "${parsed.keyId}" (key ring has: ${this.#ring.ids().join(', ')})`);
    const plain = parsed.code === 's4' ? sm4Open(key, parsed, context) : gcmOpen(key, parsed, context);
    return plain.toString('utf8');
  }

  /** True when the value was written under another key or algorithm than the current ones. Reads the header only. */
  needsRotation(ciphertext: string): boolean {
    const { code, keyId } = parse(ciphertext);
    return code !== this.#code || keyId !== this.#ring.current().id;
  }

  /**
   * Re-encrypts under the current key and algorithm. The input is always decrypted (so authenticated)
   * first; a value that is already current is returned unchanged, which makes the helper idempotent.
   */
  rotate(ciphertext: string, context = ''): string {
    const plaintext = this.decrypt(ciphertext, context);
    return this.needsRotation(ciphertext) ? this.encrypt(plaintext, context) : ciphertext;
  }

  /** Whether a stored value has the shape of a FieldCipher ciphertext (useful when migrating plaintext columns). */
  static isCiphertext(value: unknown): boolean {
    try {
      parse(value as string);
      return true;
    } catch {
      return false;
    }
  }
}

function parse(ciphertext: string): Parsed {
  if (typeof ciphertext !== 'string') throw new CryptoError('ciphertext must be a string');
  const parts = ciphertext.split('.');
  if (parts.length !== 6) throw new CryptoError('malformed ciphertext: expected 6 dot-separated parts');
  const [version, code, keyId, nonce, body, tag] = parts;
  if (version !== VERSION) throw new CryptoError('unsupported ciphertext version');
  if (!Object.hasOwn(SCHEMES, code)) throw new CryptoError('unsupported ciphertext algorithm');
  if (!KEY_ID_PATTERN.test(keyId)) throw new CryptoError('malformed ciphertext: bad key id');
  const scheme = SCHEMES[code as SchemeCode];
  const parsed = {
    code: code as SchemeCode,
    keyId,
    nonce: fromBase64Url(nonce, 'nonce'),
    body: fromBase64Url(body, 'ciphertext'),
    tag: fromBase64Url(tag, 'tag'),
  };
  if (parsed.nonce.length !== scheme.nonceBytes) throw new CryptoError('malformed ciphertext: wrong nonce length');
  // GCM would accept shorter tags, which weakens authentication: insist on the full 16 bytes.
  if (parsed.tag.length !== TAG_BYTES) throw new CryptoError('malformed ciphertext: wrong tag length');
  return parsed;
}

const authenticationFailed = () =>
  new CryptoError('ciphertext authentication failed (tampered, wrong key or wrong context)');

// --- SM4-CTR + HMAC-SM3 (encrypt-then-MAC) ---

function sm4Mac(key: DataKey, keyId: string, iv: Buffer, body: Buffer, context: string): Buffer {
  const input = lengthPrefixed([VERSION, 's4', keyId, iv, body, context]);
  return createHmac('sm3', deriveSubkey(key, SUBKEY_INFO.sm4Mac)).update(input).digest().subarray(0, TAG_BYTES);
}

/** Random nonces of every encryption, from a pool refilled by the CSPRNG. */
const nonces = new NoncePool();
/** SM4 in counter mode on one cipher object per data key (see CounterMode): the encryptions of a bulk import are many. */
const sm4Counters = new WeakMap<DataKey, CounterMode>();

function sm4Seal(key: DataKey, iv: Buffer, data: Buffer, context: string): [Buffer, Buffer] {
  let counter = sm4Counters.get(key);
  if (!counter) sm4Counters.set(key, (counter = new CounterMode('sm4-ecb', deriveSubkey(key, SUBKEY_INFO.sm4Enc, 16))));
  const body = counter.apply(iv, data); // = createCipheriv('sm4-ctr', subkey, iv) over data
  return [body, sm4Mac(key, key.id, iv, body, context)];
}

function sm4Open(key: DataKey, { keyId, nonce, body, tag }: Parsed, context: string): Buffer {
  // Verify before decrypting; timingSafeEqual needs equal lengths, which parse() guarantees.
  if (!timingSafeEqual(sm4Mac(key, keyId, nonce, body, context), tag)) throw authenticationFailed();
  const decipher = createDecipheriv('sm4-ctr', deriveSubkey(key, SUBKEY_INFO.sm4Enc, 16), nonce);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

// --- AES-256-GCM ---

function gcmAad(keyId: string, context: string): Buffer {
  return lengthPrefixed([VERSION, 'ag', keyId, context]);
}

function gcmSeal(key: DataKey, nonce: Buffer, data: Buffer, context: string): [Buffer, Buffer] {
  const cipher = createCipheriv('aes-256-gcm', deriveSubkey(key, SUBKEY_INFO.aes256Gcm), nonce, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(gcmAad(key.id, context));
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return [body, cipher.getAuthTag()];
}

function gcmOpen(key: DataKey, { keyId, nonce, body, tag }: Parsed, context: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', deriveSubkey(key, SUBKEY_INFO.aes256Gcm), nonce, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(gcmAad(keyId, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw authenticationFailed();
  }
}
