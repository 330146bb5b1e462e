import { createHmac } from 'node:crypto';
import { assertWellFormed, lengthPrefixed } from './encoding';
import { CryptoError } from './errors';
import { HashAlgorithm, KeyRing, SUBKEY_INFO, SubkeyInfo, deriveSubkey } from './key-ring';

const SCHEMES: Record<HashAlgorithm, { digest: string; info: SubkeyInfo }> = {
  'hmac-sm3': { digest: 'sm3', info: SUBKEY_INFO.hmacSm3Lookup },
  'hmac-sha256': { digest: 'sha256', info: SUBKEY_INFO.hmacSha256Lookup },
};

/**
 * Canonical form of a value before hashing: Unicode NFKC (full-width digits and "Ｘ" typed with
 * Chinese input methods become ASCII), trimmed, upper-cased (ID numbers may end in x or X).
 */
export function normalizeForHash(value: string): string {
  return value.normalize('NFKC').trim().toUpperCase();
}

/**
 * Deterministic keyed hash (HMAC-SM3 or HMAC-SHA-256, 64 lowercase hex characters) for equality
 * lookups on encrypted fields, e.g. "find the list entries of this ID number" or a stable message key.
 *
 * The output carries no key id on purpose, so it can serve as a stable key. Consequently rotating the
 * lookup key (changing the ring's current key) changes every hash: stored hashes must be recomputed
 * (hashWith(oldId, …) can still match old rows during the migration). The `namespace` (default '')
 * separates uses, so the same ID number hashes differently in different tables or purposes.
 */
export class KeyedHash {
  readonly #ring: KeyRing;
  readonly #scheme: { digest: string; info: SubkeyInfo };

  constructor(ring: KeyRing, algorithm: HashAlgorithm) {
    if (!(ring instanceof KeyRing)) throw new CryptoError('KeyedHash needs a KeyRing');
    if (!Object.hasOwn(SCHEMES, algorithm))
      throw new CryptoError(`unknown hash algorithm ${JSON.stringify(String(algorithm))}`);
    this.#ring = ring;
    this.#scheme = SCHEMES[algorithm];
  }

  /** Hash under the ring's current key. */
  hash(value: string, namespace = ''): string {
    return this.hashWith(this.#ring.current().id, value, namespace);
  }

  /** Hash under a specific (e.g. retired) key; throws if the ring does not hold it. */
  hashWith(keyId: string, value: string, namespace = ''): string {
    assertWellFormed(value, 'value');
    assertWellFormed(namespace, 'namespace');
    const key = this.#ring.get(keyId);
    if (!key) throw new CryptoError(`unknown key id ${JSON.stringify(String(keyId).slice(0, 16))}`);
    const message = lengthPrefixed([namespace, normalizeForHash(value)]);
    return createHmac(this.#scheme.digest, deriveSubkey(key, this.#scheme.info)).update(message).digest('hex');
  }
}
