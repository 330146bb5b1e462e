/*
 * Log scrubbing for Chinese resident ID numbers (GB 11643-1999).
 *
 * Candidates are 18 characters (17 digits + digit/X/x) or 15 digits (legacy, first-generation cards),
 * not touching other ASCII letters or digits. Unlike \b, an underscore counts as a boundary, and so does
 * a JSON escape (\n, \t, \uXXXX, …) right before the number, because log lines often carry JSON.
 *
 * Which candidates are masked (the choice is deliberate):
 * - redactIdNumbers masks an 18-character candidate if its check digit is valid OR positions 7-14 are a
 *   plausible birth date (19xx/20xx, month 01-12, day 01-31). Missing an ID number leaks personal data,
 *   masking an innocent number costs little, so the rule is generous: typos and test data with a wrong
 *   check digit are still masked. A random 18-digit run is masked with a probability of about 9 %.
 * - A 15-digit candidate has no check digit; it is masked if positions 7-12 are a plausible YYMMDD.
 * - containsIdNumber is stricter (valid check digit for 18 characters, plausible date for 15 digits),
 *   so it can drive alerts with few false positives; whatever it reports, redactIdNumbers masks.
 * Masked form: the first 6 characters (the region code) followed by asterisks, same length.
 *
 * An 18-character number is also found when written in groups, with single spaces or dashes between its
 * digits ("3401 0419 9001 0112 34", "340104-19900101-1234"), as people type them; such a run counts only
 * when it is not part of a longer run of grouped digits. The same rules decide, on its 18 characters, and
 * it is masked as the same 18-character form without the separators ("340104************").
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

// Preceded by a non-alphanumeric, the text start, or a JSON escape; followed by a non-alphanumeric.
const CANDIDATE = /(?:(?<![0-9A-Za-z])|(?<=\\[nrtbf]|\\u[0-9A-Fa-f]{4}))([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])/g;

/** GB 11643 check character for the first 17 digits. */
export function idNumberCheckDigit(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new Error('idNumberCheckDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** True for an 18-character ID number whose last character is the correct check digit (x or X). */
export function hasValidCheckDigit(id: string): boolean {
  return /^[0-9]{17}[0-9Xx]$/.test(id) && idNumberCheckDigit(id.slice(0, 17)) === id[17].toUpperCase();
}

function plausibleMonthDay(mmdd: string): boolean {
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2, 4));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function plausibleBirthDate18(id: string): boolean {
  return /^(19|20)$/.test(id.slice(6, 8)) && plausibleMonthDay(id.slice(10, 14));
}

function plausibleBirthDate15(id: string): boolean {
  return plausibleMonthDay(id.slice(8, 12));
}

function shouldMask(candidate: string): boolean {
  return candidate.length === 18
    ? hasValidCheckDigit(candidate) || plausibleBirthDate18(candidate)
    : plausibleBirthDate15(candidate);
}

/** A separator people put between the groups of an ID number: space, no-break or ideographic space, dashes. */
const SEPARATOR = '[ \\-\\u00a0\\u2010-\\u2015\\u3000\\uff0d]';
// 18 characters with optional single separators between them, not touching letters, digits or further groups.
const GROUPED = new RegExp(
  `(?:(?<![0-9A-Za-z])(?<![0-9]${SEPARATOR})|(?<=\\\\[nrtbf]|\\\\u[0-9A-Fa-f]{4}))` +
    `([0-9](?:${SEPARATOR}?[0-9]){16}${SEPARATOR}?[0-9Xx])(?![0-9A-Za-z])(?!${SEPARATOR}[0-9])`,
  'g',
);
const SEPARATORS = new RegExp(SEPARATOR, 'g');

function isLikelyIdNumber(candidate: string): boolean {
  return candidate.length === 18 ? hasValidCheckDigit(candidate) : plausibleBirthDate15(candidate);
}

function mask(candidate: string): string {
  return candidate.slice(0, 6) + '*'.repeat(candidate.length - 6);
}

/** The 18 characters of a grouped candidate, or null when it has no separator (a plain candidate). */
function ungrouped(candidate: string): string | null {
  const compact = candidate.replace(SEPARATORS, '');
  return compact.length === candidate.length ? null : compact;
}

/** Replaces every ID-number-like run in `text` (e.g. a log line), grouped or not, with its masked form. */
export function redactIdNumbers(text: string): string {
  const plain = text.replace(CANDIDATE, (match) => (shouldMask(match) ? mask(match) : match));
  return plain.replace(GROUPED, (match) => {
    const compact = ungrouped(match);
    return compact !== null && shouldMask(compact) ? mask(compact) : match;
  });
}

/**
 * Whether `text` contains an 18-character ID number with a valid check digit (grouped or not), or a
 * plausible 15-digit one.
 */
export function containsIdNumber(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) if (isLikelyIdNumber(match[1])) return true;
  for (const match of text.matchAll(GROUPED)) {
    const compact = ungrouped(match[1]);
    if (compact !== null && isLikelyIdNumber(compact)) return true;
  }
  return false;
}
