/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters,
 * registration authority (1), organisation type (1), division (6), identifier (9), check (1).
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  const check = 31 - (sum % 31);
  return ALPHABET[check === 31 ? 0 : check];
}

/** Returns null when valid, otherwise a short English reason. */
export function usccProblem(value: string): string | null {
  if (typeof value !== 'string' || value.length !== 18) return 'must be 18 characters';
  if (!SHAPE.test(value)) return 'contains characters outside GB 32100 (digits and A–Y without I, O, S, V, Z)';
  if (usccCheckCharacter(value.slice(0, 17)) !== value[17]) return 'check character does not match (GB 32100)';
  return null;
}

export const isValidUscc = (value: string): boolean => usccProblem(value) === null;
