import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { isValidUscc } from '@jrp/domain';

/**
 * The personal-data sweep's scanners (test/security/personal-data.e2e-spec.ts), written apart from the
 * code they check: they do not reuse jrp's own redaction, so a gap there is not mirrored here.
 */

/** What may stand between the characters of an ID number as people write it: spaces and dashes. */
const SEPARATOR = '[ \\-\\u00a0\\u2010-\\u2015\\u3000\\uff0d]';
/** Runs of digits (and X) with single separators between them, not inside a longer token of letters or digits. */
const RUN = new RegExp(`(?<![0-9A-Za-z])[0-9Xx](?:${SEPARATOR}?[0-9Xx])*(?![0-9A-Za-z])`, 'g');
const SEPARATORS = new RegExp(`${SEPARATOR}`, 'g');
/** A JSON string escape: a line break before a number is a boundary, not the letter n. */
const JSON_ESCAPE = /\\(?:[nrtbf"\\/]|u[0-9A-Fa-f]{4})/g;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

function validCheckCharacter(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * WEIGHTS[i];
  return CHECK[sum % 11] === id[17].toUpperCase();
}

function plausibleBirthDate(id: string): boolean {
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1850 && y <= 2100 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whether 18 characters are a resident ID number in clear: a valid check character or a real birth date; no USCC. */
function isClearIdNumber(compact: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(compact)) return false;
  if (isValidUscc(compact.toUpperCase())) return false;
  return validCheckCharacter(compact) || plausibleBirthDate(compact);
}

/**
 * The resident ID numbers in clear in `text`, as written: 18 characters (17 digits and a digit or X),
 * plain or with spaces or dashes between them ("3401 0419 9001 0112 34", "340104-19900101-1234"), that
 * have a valid GB 11643 check character or a real birth date (so a mistyped number counts too), and
 * are not a unified social credit code. Masked forms (340104************) are not numbers in clear.
 */
export function findIdNumbers(text: string): string[] {
  const found: string[] = [];
  for (const [run] of text.replace(JSON_ESCAPE, ' ').matchAll(RUN)) {
    // every stretch of whole groups that adds up to 18 characters
    const groups = run.split(SEPARATORS);
    for (let i = 0; i < groups.length; i++) {
      let compact = '';
      for (let j = i; j < groups.length && compact.length < 18; j++) {
        compact += groups[j];
        if (compact.length === 18 && isClearIdNumber(compact)) found.push(groups.slice(i, j + 1).join(' '));
      }
    }
  }
  return found;
}

/** A text cell a spreadsheet would run as a formula: it starts with = + - @ (or tab / CR, which Excel skips). */
export const isFormulaCell = (text: string): boolean => /^[=+\-@\t\r]/.test(text);

/** Every cell of a CSV file (UTF-8, with or without BOM), as text. */
export function csvCells(csv: Buffer | string): string[] {
  const records: string[][] = parse(csv, { bom: true, relaxColumnCount: true });
  return records.flat();
}

/** Every non-empty cell of every sheet of an XLSX file: its text, and whether it is a formula. */
export async function xlsxCells(xlsx: Buffer): Promise<{ address: string; text: string; formula: boolean }[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx as never);
  const cells: { address: string; text: string; formula: boolean }[] = [];
  for (const sheet of book.worksheets) {
    sheet.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const formula = cell.type === ExcelJS.ValueType.Formula;
        cells.push({ address: `${sheet.name}!${cell.address}`, text: cellText(cell.value), formula });
      }),
    );
  }
  return cells;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text; // a hyperlink
  if ('formula' in value || 'sharedFormula' in value)
    return `=${String((value as { formula?: string }).formula ?? '')}`;
  return JSON.stringify(value);
}

/** A clear ID number found in a source: where, what, and the text around it. */
export interface Leak {
  source: string;
  found: string;
  context: string;
}

/** The clear ID numbers in each source (a table row, a message, a log file, an export). */
export function scanForIdNumbers(sources: Iterable<{ source: string; text: string }>): Leak[] {
  const leaks: Leak[] = [];
  for (const { source, text } of sources) {
    for (const found of findIdNumbers(text)) {
      const at = Math.max(0, text.indexOf(found.split(' ')[0]));
      leaks.push({ source, found, context: text.slice(Math.max(0, at - 60), at + 80) });
    }
  }
  return leaks;
}
