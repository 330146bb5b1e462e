// Internal: counter-mode encryption on a block cipher kept open (not exported from the package index).
import { Cipher, createCipheriv, randomFillSync } from 'node:crypto';

const BLOCK = 16;

/**
 * Counter mode (CTR) as OpenSSL's `sm4-ctr` and `aes-*-ctr` compute it — the keystream is the block
 * cipher applied to the IV, the IV + 1, … (the whole 16-byte block a big-endian counter) — on one ECB
 * cipher object per key, created once and kept: every encryption then costs one native call instead of
 * a cipher created, initialised and finalised for each value. Equal, byte for byte, to a new
 * `createCipheriv('<alg>-ctr', key, iv)` per value (`ctr.spec.ts`).
 */
export class CounterMode {
  readonly #ecb: Cipher;

  constructor(ecbAlgorithm: 'sm4-ecb' | 'aes-128-ecb' | 'aes-256-ecb', key: Buffer) {
    this.#ecb = createCipheriv(ecbAlgorithm, key, null);
    this.#ecb.setAutoPadding(false);
  }

  /** `data` XOR the keystream from `iv` (encryption and decryption alike). */
  apply(iv: Buffer, data: Buffer): Buffer {
    if (iv.length !== BLOCK) throw new RangeError('the IV must be 16 bytes');
    const blocks = Math.ceil(data.length / BLOCK);
    const counters = Buffer.allocUnsafe(blocks * BLOCK);
    for (let b = 0; b < blocks; b++) {
      iv.copy(counters, b * BLOCK);
      // the IV + b, carried through the whole block
      let carry = b;
      for (let i = BLOCK - 1; i >= 0 && carry > 0; i--) {
        const sum = counters[b * BLOCK + i] + (carry & 0xff);
        counters[b * BLOCK + i] = sum & 0xff;
        carry = (carry >>> 8) + (sum >> 8);
      }
    }
    const stream = this.#ecb.update(counters);
    const out = Buffer.allocUnsafe(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] ^ stream[i];
    return out;
  }
}

/** Random bytes for nonces, drawn from a pool refilled by the CSPRNG (each byte used once): no system call per value. */
export class NoncePool {
  readonly #pool = Buffer.allocUnsafe(4096);
  #offset = this.#pool.length;

  take(bytes: number): Buffer {
    if (bytes > this.#pool.length) throw new RangeError('nonce too long');
    if (this.#offset + bytes > this.#pool.length) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const nonce = Buffer.from(this.#pool.subarray(this.#offset, this.#offset + bytes)); // a copy: the pool is refilled
    this.#offset += bytes;
    return nonce;
  }
}
