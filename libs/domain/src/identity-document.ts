import { IsIn, ValidationOptions } from 'class-validator';
import { idNumberCheckCharacter, idNumberProblem } from './id-number';
import { maskIdNumber } from './mask';

/** Personal identity documents a natural person on a list can be identified by. */
export const ID_TYPES = [
  'resident-id',
  'hk-macao-permit',
  'taiwan-permit',
  'foreign-permanent-residence',
  'passport',
] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_LABELS: Readonly<Record<IdType, string>> = {
  'resident-id': '居民身份证',
  'hk-macao-permit': '港澳居民来往内地通行证',
  'taiwan-permit': '台湾居民来往大陆通行证',
  'foreign-permanent-residence': '外国人永久居留身份证',
  passport: '护照',
};

export const isIdType = (value: unknown): value is IdType =>
  typeof value === 'string' && (ID_TYPES as readonly string[]).includes(value);

/** class-validator: one of ID_TYPES. */
export const IsIdType = (options?: ValidationOptions) => IsIn([...ID_TYPES], options);

/** Full-width ASCII forms (Ｕ+FF01–FF5E) and the ideographic space → ASCII. */
function toHalfWidth(value: string): string {
  return value.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/**
 * 15-digit first-generation resident ID (6 address + YYMMDD + 3 sequence, all born 19YY) → the
 * 18-digit GB 11643 form: "19" inserted before the year and the check character appended.
 */
function upgradeLegacyResidentId(value15: string): string {
  const first17 = `${value15.slice(0, 6)}19${value15.slice(6)}`;
  return first17 + idNumberCheckCharacter(first17);
}

function residentIdProblem(value: string, today: Date): string | null {
  if (value.length === 18 && value.startsWith('9')) {
    return 'starts with 9: this is a foreign permanent residence ID number';
  }
  if (value.length === 18 && value.startsWith('0')) return 'address code must start with 1–8';
  return idNumberProblem(value, today);
}

/**
 * 外国人永久居留身份证号码. Two formats are in use:
 * - 2004 format (issued until 30 Nov 2023, still valid): 15 characters, a 3-letter nationality
 *   code followed by 12 digits (`^[A-Z]{3}\d{12}$`); only the shape is checked.
 * - 2023 format (issued from 1 Dec 2023, modelled on GB 11643): 18 characters —
 *   "9" (foreigner marker; citizens' numbers start with 1–8), 2 digits province of acceptance,
 *   3 digits numeric nationality code, 8 digits birth date YYYYMMDD (positions 7–14), 3 digits
 *   sequence, 1 ISO 7064 MOD 11-2 check character (digit or X). Checked: the leading 9, a real
 *   birth date not in the future and the check character.
 */
function foreignPermanentResidenceProblem(value: string, today: Date): string | null {
  if (/^[A-Z]{3}\d{12}$/.test(value)) return null;
  if (value.length === 18) {
    if (!value.startsWith('9')) return '2023-format number must start with 9';
    return idNumberProblem(value, today);
  }
  return 'must be 3 letters and 12 digits (2004 format) or 18 characters starting with 9 (2023 format)';
}

/**
 * Normalises a document number (trim, upper-case, full-width → ASCII; passports also lose inner
 * spaces; a 15-digit legacy resident ID becomes its 18-digit form) and validates it for its type.
 *
 * resident-id also covers the 港澳台居民居住证 numbers (18-digit GB 11643 numbers with address code
 * 810000 / 820000 / 830000). `today` bounds birth dates (defaults to now).
 */
export function normaliseIdentityDocument(
  idType: IdType,
  value: string,
  today: Date = new Date(),
): { value: string } | { problem: string } {
  if (!isIdType(idType)) return { problem: 'unknown document type' };
  if (typeof value !== 'string') return { problem: 'must be a string' };
  let v = toHalfWidth(value).trim().toUpperCase();
  if (v === '') return { problem: 'must not be empty' };

  let problem: string | null;
  switch (idType) {
    case 'resident-id':
      if (/^\d{15}$/.test(v)) {
        v = upgradeLegacyResidentId(v);
        problem = idNumberProblem(v, today) && 'legacy 15-digit number has a birth date that is not a real date';
      } else if (v.length === 15) {
        problem = 'a 15-character legacy number must be all digits';
      } else {
        problem = residentIdProblem(v, today);
      }
      break;
    case 'hk-macao-permit':
      problem = /^[HM]\d{8}(\d{2})?$/.test(v) ? null : 'must be H or M followed by 8 or 10 digits';
      break;
    case 'taiwan-permit':
      problem = /^\d{8}(\d{2})?$/.test(v) ? null : 'must be 8 or 10 digits';
      break;
    case 'foreign-permanent-residence':
      problem = foreignPermanentResidenceProblem(v, today);
      break;
    case 'passport':
      v = v.replace(/\s+/g, '');
      problem = /^[A-Z0-9]{5,17}$/.test(v) ? null : 'must be 5 to 17 letters or digits';
      break;
  }
  return problem === null ? { value: v } : { problem };
}

/**
 * Masked form for display. resident-id keeps the first 6 characters,
 * as maskIdNumber; other types keep the first 2 and last 2 characters. Values of 4 characters or
 * fewer are masked entirely.
 */
export function maskDocument(idType: IdType, value: string): string {
  if (idType === 'resident-id') return maskIdNumber(value);
  if (value.length <= 4) return '*'.repeat(value.length);
  return value.slice(0, 2) + '*'.repeat(value.length - 4) + value.slice(-2);
}
