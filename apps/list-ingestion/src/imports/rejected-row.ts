import { redactIdNumbers } from '@jrp/crypto';
import { safeText } from '@jrp/http';
import { isValidUscc, looksLikeIdNumber, maskDocument, maskIdNumberLike } from '@jrp/domain';
import type { ImportColumnKey } from './parsing';

/** The columns that hold a person's identity document number. */
const ID_NUMBER_COLUMNS: ReadonlySet<string> = new Set<ImportColumnKey>(['idNumber', 'legalRepresentativeIdNumber']);

/** One cell of a rejected row as it may be kept (see `maskRejectedValues`). */
export function maskRejectedCell(key: string, value: string): string {
  if (ID_NUMBER_COLUMNS.has(key)) {
    // a resident ID number (or what looks like one): its first 6 characters; another document: its first and last 2
    return looksLikeIdNumber(value) ? maskIdNumberLike(value) : maskDocument('passport', value.replace(/\s+/g, ''));
  }
  const compact = value.replace(/[\s-]/g, '');
  if (looksLikeIdNumber(value) && !(key === 'uscc' && isValidUscc(compact.toUpperCase()))) {
    return maskIdNumberLike(value); // a cell that is an ID number, valid or not, whatever its column
  }
  return redactIdNumbers(value); // ID numbers inside a text (a name, a reason), grouped or not
}

/**
 * A rejected import row as it is kept for the uploader's errors CSV: every cell, but no identity document
 * number in clear. The ID-number columns are masked as everywhere (`340104************`, other documents
 * `E1****78`); a cell of any other column that looks like an ID number (18 characters once spaces and
 * dashes are out, valid or not) is masked the same way, a unified social credit code excepted; ID numbers
 * inside a text are masked where they stand; characters no text may hold become U+FFFD. Pure.
 */
export function maskRejectedValues<K extends string>(values: Partial<Record<K, string>>): Partial<Record<K, string>> {
  const masked: Partial<Record<K, string>> = {};
  for (const [key, value] of Object.entries(values) as [K, string | undefined][]) {
    // a NUL or an unpaired surrogate cannot be kept in jsonb: shown as U+FFFD (the reason names it)
    if (value !== undefined) masked[key] = safeText(maskRejectedCell(key, value));
  }
  return masked;
}
