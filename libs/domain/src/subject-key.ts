import { createHmac } from 'node:crypto';

/**
 * The keyed hash (HMAC-SHA-256) of a subject's identifier: its stable key in events and lookups.
 * A message key never contains the identifier itself.
 */
export function subjectKeyOf(secret: Buffer, kind: 'legal' | 'natural', identifier: string): string {
  return createHmac('sha256', secret).update(`${kind}:${identifier.toUpperCase()}`).digest('hex');
}
