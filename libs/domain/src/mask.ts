/** Personal ID numbers are shown as their first 6 characters followed by asterisks. */
export function maskIdNumber(value: string): string {
  if (value.length <= 6) return '*'.repeat(value.length);
  return value.slice(0, 6) + '*'.repeat(value.length - 6);
}

/** Spaces and dashes people type between the groups of a number (ASCII, no-break and ideographic, full-width). */
const NUMBER_SEPARATORS = /[\s\-\u00a0\u2010-\u2015\u3000\uff0d]/g;

/**
 * Whether a whole value looks like a resident ID number, valid or not: 18 characters (17 digits and a
 * digit or X) or 15 digits once spaces and dashes are taken out ("3401 0419 9001 0112 34",
 * "340104-19900101-1234").
 */
export function looksLikeIdNumber(value: string): boolean {
  const compact = value.replace(NUMBER_SEPARATORS, '');
  return /^\d{17}[\dXx]$/.test(compact) || /^\d{15}$/.test(compact);
}

/**
 * A value that looks like an ID number, masked as ID numbers are everywhere: its characters without
 * spaces and dashes, the first 6 kept, the rest asterisks ("340104************").
 */
export function maskIdNumberLike(value: string): string {
  return maskIdNumber(value.replace(NUMBER_SEPARATORS, ''));
}

/**
 * A person's name for publication: the first character (usually the surname) kept, every other one an
 * asterisk (张三 → 张*, 欧阳娜娜 → 欧***). A name of one character is masked entirely.
 */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return chars[0] + '*'.repeat(chars.length - 1);
}
