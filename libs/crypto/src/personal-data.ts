import { createHash } from 'node:crypto';
import { FieldCipher } from './field-cipher';
import { CipherAlgorithm, HashAlgorithm, KeyRing, parseKeyRing } from './key-ring';
import { KeyedHash } from './keyed-hash';

export interface PersonalDataOptions {
  /** Data keys, `id:base64,…`, the first current (JRP_DATA_KEYS). */
  dataKeys: string;
  cipher: CipherAlgorithm;
  /** Secret of the lookup hash (JRP_SUBJECT_KEY_SECRET). */
  lookupSecret: Buffer;
  lookup: HashAlgorithm;
}

/**
 * How jrp protects personal identifiers (PIPL: minimum necessary use): ID numbers are stored and sent
 * encrypted (SM4 by default, AES-256-GCM selectable), each ciphertext bound to where it lives; a keyed
 * hash (HMAC-SM3 by default) identifies a subject for lookups and as the event key.
 */
export class PersonalData {
  private readonly cipher: FieldCipher;
  private readonly lookup: KeyedHash;

  constructor(options: PersonalDataOptions) {
    this.cipher = new FieldCipher(parseKeyRing(options.dataKeys), options.cipher);
    const lookupKey = createHash('sha256').update(options.lookupSecret).digest();
    this.lookup = new KeyedHash(new KeyRing([{ id: 'lookup', key: lookupKey }], 'lookup'), options.lookup);
  }

  encrypt(value: string, context: string): string {
    return this.cipher.encrypt(value, context);
  }

  decrypt(ciphertext: string, context: string): string {
    return this.cipher.decrypt(ciphertext, context);
  }

  needsRotation(ciphertext: string): boolean {
    return this.cipher.needsRotation(ciphertext);
  }

  rotate(ciphertext: string, context: string): string {
    return this.cipher.rotate(ciphertext, context);
  }

  /** The subject's key: stable for one identifier, never revealing it. */
  subjectKey(kind: 'legal' | 'natural', identifier: string): string {
    return this.lookup.hash(identifier, `subject:${kind}`);
  }
}
