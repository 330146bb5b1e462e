import { createHash } from 'node:crypto';

/** RFC 4122 name-based UUID (version 5, SHA-1) in the jrp namespace: same name, same id. */
const NAMESPACE = Buffer.from('6f1d4c0e8a0b5c3e9d2a7b4e1f0a9c8d', 'hex');

export function deterministicId(...parts: (string | number)[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u001f')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A task is identified by its list entry and its implementing organisation. */
export const taskIdOf = (entryId: string, organization: string) => deterministicId('task', entryId, organization);

/** The id of the event that announces version `version` of an aggregate. */
export const eventIdOf = (aggregate: string, aggregateId: string, version: number, type: string) =>
  deterministicId('event', aggregate, aggregateId, version, type);
