import { redactIdNumbers } from '@jrp/crypto';

const MOBILE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;

/**
 * Masks the personal data a case's free text may carry before it is published: resident ID numbers as
 * their first 6 characters then asterisks (as everywhere), mobile numbers as 138****5678.
 */
export function maskPersonalData(text: string): string {
  return redactIdNumbers(text).replace(MOBILE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`);
}
