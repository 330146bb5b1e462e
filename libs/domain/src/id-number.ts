/**
 * 居民身份证号 (resident identity number, GB 11643-1999): address (6), birth date (8),
 * sequence (3), check (1), ISO 7064 MOD 11-2.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS = '10X98765432';

export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECKS[sum % 11];
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1850 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Returns null when valid, otherwise a short English reason. */
export function idNumberProblem(value: string, today: Date = new Date()): string | null {
  if (typeof value !== 'string' || value.length !== 18) return 'must be 18 characters';
  if (!/^\d{17}[\dX]$/.test(value)) return 'must be 17 digits followed by a digit or X';
  const birth = value.slice(6, 14);
  if (!isRealDate(birth)) return 'birth date is not a real date';
  const todayKey = today.toISOString().slice(0, 10).replace(/-/g, '');
  if (birth > todayKey) return 'birth date is in the future';
  if (idNumberCheckCharacter(value.slice(0, 17)) !== value[17]) return 'check character does not match (GB 11643)';
  return null;
}

export const isValidIdNumber = (value: string): boolean => idNumberProblem(value) === null;
