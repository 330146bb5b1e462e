/**
 * Raised for every failure in this library. Messages never contain key material, plaintext or the
 * offending ciphertext (a column may hold a plaintext ID number by mistake, and errors end up in logs).
 */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';
}
