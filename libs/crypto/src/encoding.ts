// Internal helpers shared by the cipher and the keyed hash; not exported from the package index.
import { CryptoError } from './errors';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64Url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/**
 * Strict base64url decoding. Node's decoder silently skips invalid characters and ignores the unused
 * low bits of the last character, so we require the canonical encoding: one byte string, one text.
 */
export function fromBase64Url(text: string, what: string): Buffer {
  const bytes = BASE64URL.test(text) ? Buffer.from(text, 'base64url') : undefined;
  if (!bytes || bytes.toString('base64url') !== text)
    throw new CryptoError(`malformed ciphertext: ${what} is not canonical base64url`);
  return bytes;
}

/** Unambiguous concatenation: every part is preceded by its byte length (32-bit big-endian). */
export function lengthPrefixed(parts: ReadonlyArray<string | Buffer>): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}

/** Rejects strings that UTF-8 cannot round-trip (unpaired surrogates would silently become U+FFFD). */
export function assertWellFormed(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') throw new CryptoError(`${what} must be a string`);
  if (/[\uD800-\uDFFF]/u.test(value)) throw new CryptoError(`${what} contains an unpaired UTF-16 surrogate`);
}
