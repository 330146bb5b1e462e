import { hkdfSync, randomBytes } from 'node:crypto';
import { CryptoError } from './errors';

export type CipherAlgorithm = 'sm4' | 'aes-256-gcm';
export type HashAlgorithm = 'hmac-sm3' | 'hmac-sha256';

/** A 32-byte master key. It is never used directly: every use derives its own subkey (see deriveSubkey). */
export interface DataKey {
  id: string;
  key: Buffer;
}

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
export const MASTER_KEY_BYTES = 32;

/** HKDF info strings: one independent subkey per algorithm and purpose. */
export const SUBKEY_INFO = {
  sm4Enc: 'jrp/sm4-ctr/enc',
  sm4Mac: 'jrp/sm4-ctr/mac',
  aes256Gcm: 'jrp/aes-256-gcm',
  hmacSm3Lookup: 'jrp/hmac-sm3/lookup',
  hmacSha256Lookup: 'jrp/hmac-sha256/lookup',
} as const;
export type SubkeyInfo = (typeof SUBKEY_INFO)[keyof typeof SUBKEY_INFO];

/** Names an id in an error without echoing something long (which could be a pasted key). */
function describeId(id: unknown): string {
  if (typeof id !== 'string') return `(${typeof id})`;
  return id.length <= 16 ? JSON.stringify(id) : `(${id.length} characters)`;
}

/**
 * The set of usable keys: `current()` encrypts and hashes new data, the others (retired) still decrypt.
 * Holds private copies of the keys; inspecting or JSON-serialising a ring shows ids only.
 */
export class KeyRing {
  readonly #keys = new Map<string, DataKey>();
  readonly #current: string;

  constructor(keys: DataKey[], current: string) {
    if (!Array.isArray(keys) || keys.length === 0) throw new CryptoError('key ring is empty');
    keys.forEach((entry, index) => {
      const label = `key #${index + 1}`;
      if (typeof entry?.id !== 'string' || !KEY_ID_PATTERN.test(entry.id)) {
        throw new CryptoError(`${label}: invalid key id ${describeId(entry?.id)} (expected ${KEY_ID_PATTERN.source})`);
      }
      if (!Buffer.isBuffer(entry.key) || entry.key.length !== MASTER_KEY_BYTES) {
        const got = Buffer.isBuffer(entry.key) ? `${entry.key.length} bytes` : 'not a Buffer';
        throw new CryptoError(`${label} (id "${entry.id}"): key must be ${MASTER_KEY_BYTES} bytes, got ${got}`);
      }
      if (this.#keys.has(entry.id)) throw new CryptoError(`${label}: duplicate key id "${entry.id}"`);
      this.#keys.set(entry.id, Object.freeze({ id: entry.id, key: Buffer.from(entry.key) }));
    });
    if (!this.#keys.has(current)) throw new CryptoError(`current key id ${describeId(current)} is not in the key ring`);
    this.#current = current;
  }

  current(): DataKey {
    return this.#keys.get(this.#current)!;
  }

  get(id: string): DataKey | undefined {
    return this.#keys.get(id);
  }

  /** All ids, in the order the keys were given. */
  ids(): string[] {
    return [...this.#keys.keys()];
  }

  toJSON(): { current: string; ids: string[] } {
    return { current: this.#current, ids: this.ids() };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `KeyRing { current: '${this.#current}', ids: [${this.ids()
      .map((id) => `'${id}'`)
      .join(', ')}] }`;
  }
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses "k2:BASE64,k1:BASE64" (standard or url-safe base64, 32 bytes each); the first entry is current.
 * Whitespace around entries is ignored. Errors name the entry by position and id, never the key text.
 */
export function parseKeyRing(spec: string): KeyRing {
  if (typeof spec !== 'string' || spec.trim() === '') throw new CryptoError('key ring spec is empty');
  const keys = spec.split(',').map((raw, index): DataKey => {
    const entry = raw.trim();
    const label = `key ring entry #${index + 1}`;
    if (entry === '') throw new CryptoError(`${label} is empty`);
    const colon = entry.indexOf(':');
    if (colon < 0) throw new CryptoError(`${label}: expected "<id>:<base64 key>"`);
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!KEY_ID_PATTERN.test(id))
      throw new CryptoError(`${label}: invalid key id ${describeId(id)} (expected ${KEY_ID_PATTERN.source})`);
    if (!BASE64.test(encoded)) throw new CryptoError(`${label} (id "${id}"): key is not base64`);
    const key = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
    if (key.length !== MASTER_KEY_BYTES) {
      throw new CryptoError(`${label} (id "${id}"): key must be ${MASTER_KEY_BYTES} bytes, got ${key.length}`);
    }
    return { id, key };
  });
  const seen = new Set<string>();
  keys.forEach(({ id }, index) => {
    if (seen.has(id)) throw new CryptoError(`key ring entry #${index + 1}: duplicate key id "${id}"`);
    seen.add(id);
  });
  return new KeyRing(keys, keys[0].id);
}

/**
 * A fresh "id:BASE64" entry (32 random bytes) to prepend to the configured ring. The default id is
 * "k" + the current time in base 36, so ids generated at different moments do not collide.
 */
export function generateKeySpec(id: string = `k${Date.now().toString(36)}`): string {
  if (!KEY_ID_PATTERN.test(id))
    throw new CryptoError(`invalid key id ${describeId(id)} (expected ${KEY_ID_PATTERN.source})`);
  return `${id}:${randomBytes(MASTER_KEY_BYTES).toString('base64')}`;
}

// Subkeys are cached per (frozen) DataKey object held by a ring.
const subkeyCache = new WeakMap<DataKey, Map<string, Buffer>>();

/** HKDF-SHA256(master, salt = empty, info) → `length` bytes. Deterministic, so retired keys keep working. */
export function deriveSubkey(key: DataKey, info: SubkeyInfo, length = 32): Buffer {
  let perKey = subkeyCache.get(key);
  if (!perKey) subkeyCache.set(key, (perKey = new Map<string, Buffer>()));
  const cacheKey = `${info}/${length}`;
  let subkey = perKey.get(cacheKey);
  if (!subkey) {
    subkey = Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), info, length));
    perKey.set(cacheKey, subkey);
  }
  return subkey;
}
