import { posix } from 'node:path';
import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { ImportFileError } from './import-file-error';
import { normalizeSpreadsheetXml } from './spreadsheet-xml';
import { ZipFormatError, ZipReader, type ZipEntry } from './zip-reader';

/** Inflated size bound of xl/sharedStrings.xml, which is held in memory (one copy of each distinct string). */
export const MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024;
/** Inflated size bound of the worksheet XML (streamed; bounds the work a zip bomb can cause). */
export const MAX_WORKSHEET_BYTES = 2 * 1024 * 1024 * 1024;

export type CellRow = { row: number; cells: string[] };

/*
 * exceljs 4.4.0 internals used here (the version is pinned in package.json; the specs exercise
 * every one of them, so an upgrade that changes them fails loudly):
 * - WorkbookReader's part parsers `_parseRels`, `_parseWorkbook`, `_parseSharedStrings`,
 *   `_parseStyles`, which fill `workbookRels`, `model`, `properties`, `sharedStrings`, `styles`;
 * - `lib/stream/xlsx/worksheet-reader` (not exported by the package index), the streaming row parser.
 * They are fed by ZipReader instead of WorkbookReader.parse(): see ZipReader for why.
 */
interface Relationship {
  Id: string;
  Type: string;
  Target: string;
  TargetMode?: string;
}
interface WorkbookReaderParts {
  workbookRels?: Relationship[];
  model?: { sheets?: { name: string; id: number; state?: string; rId: string }[] };
  properties?: { model?: { date1904?: boolean } };
  sharedStrings?: unknown[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
}
type WorksheetReaderCtor = new (options: {
  workbook: unknown;
  id: number;
  iterator: AsyncIterable<string>;
  options: Record<string, string>;
}) => AsyncIterable<ExcelJS.Row>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const WorksheetReader = require('exceljs/lib/stream/xlsx/worksheet-reader') as WorksheetReaderCtor;

const READER_OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache', // values inserted into cells
  styles: 'cache', // needed: a date cell is only a number with a date format in styles.xml
  hyperlinks: 'ignore', // a hyperlink cell then reads as its displayed text
  entries: 'ignore',
} as const;

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

/**
 * Rows of the first visible worksheet (tab order) of an XLSX file, as cell texts, streaming.
 * Throws ImportFileError when the file is not a readable workbook.
 */
export async function* readFirstSheetRows(path: string): AsyncGenerator<CellRow> {
  let zip: ZipReader;
  try {
    zip = await ZipReader.open(path);
  } catch (err) {
    throw toImportError(err);
  }
  try {
    const { reader, sheetEntry } = await loadWorkbook(zip);
    const date1904 = Boolean(reader.properties?.model?.date1904);
    const rows = new WorksheetReader({
      workbook: reader,
      id: 1,
      iterator: normalizeSpreadsheetXml(await zip.openText(sheetEntry, MAX_WORKSHEET_BYTES), 'worksheet'),
      options: { ...READER_OPTIONS },
    });
    let previous = 0;
    let it: AsyncIterator<ExcelJS.Row>;
    try {
      it = rows[Symbol.asyncIterator]();
    } catch (err) {
      throw toImportError(err);
    }
    for (;;) {
      let next: IteratorResult<ExcelJS.Row>;
      try {
        next = await it.next();
      } catch (err) {
        throw toImportError(err);
      }
      if (next.done) break;
      const row = next.value;
      // `r` is optional in OOXML; when absent the row follows the previous one.
      const number = Number.isFinite(row.number) && row.number > previous ? row.number : previous + 1;
      previous = number;
      yield { row: number, cells: rowCells(row, date1904) };
    }
  } finally {
    await zip.close();
  }
}

async function loadWorkbook(zip: ZipReader): Promise<{ reader: WorkbookReaderParts; sheetEntry: ZipEntry }> {
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader('', { ...READER_OPTIONS }) as unknown as WorkbookReaderParts;

    // _rels/.rels → the workbook part (xl/workbook.xml, by convention).
    let workbookPath = 'xl/workbook.xml';
    const rootRels = zip.entry('_rels/.rels');
    if (rootRels) {
      await reader._parseRels(await zip.openText(rootRels, 16 * 1024 * 1024));
      const office = (reader.workbookRels ?? []).find((r) => REL_OFFICE_DOCUMENT.test(r.Type));
      if (office) workbookPath = resolvePart('', office.Target);
      reader.workbookRels = undefined;
    }
    const workbookEntry = zip.entry(workbookPath);
    if (!workbookEntry) throw new ImportFileError('文件不是有效的 XLSX：缺少工作簿', 'INVALID_FILE');
    const base = posix.dirname(workbookEntry.name);
    const relsEntry = zip.entry(posix.join(base, '_rels', `${posix.basename(workbookEntry.name)}.rels`));
    if (!relsEntry) throw new ImportFileError('文件不是有效的 XLSX：缺少工作簿关系', 'INVALID_FILE');

    await reader._parseRels(await zip.openText(relsEntry, 16 * 1024 * 1024));
    await reader._parseWorkbook(
      textStream(normalizeSpreadsheetXml(await zip.openText(workbookEntry, 64 * 1024 * 1024))),
    );
    const rels = reader.workbookRels ?? [];
    const part = (type: RegExp, fallback: string) => {
      const rel = rels.find((r) => type.test(r.Type));
      return zip.entry(rel ? resolvePart(base, rel.Target) : fallback);
    };

    const sharedStrings = part(REL_SHARED_STRINGS, posix.join(base, 'sharedStrings.xml'));
    if (sharedStrings) {
      if (sharedStrings.uncompressedSize > MAX_SHARED_STRINGS_BYTES) throw tooLarge();
      const text = normalizeSpreadsheetXml(
        await zip.openText(sharedStrings, MAX_SHARED_STRINGS_BYTES),
        'sharedStrings',
      );
      for await (const _ of reader._parseSharedStrings(textStream(text))) {
        // 'cache' mode: the strings are collected on the reader, nothing is yielded
      }
      compactStrings(reader.sharedStrings);
    }
    const styles = part(REL_STYLES, posix.join(base, 'styles.xml'));
    if (styles)
      await reader._parseStyles(textStream(normalizeSpreadsheetXml(await zip.openText(styles, 64 * 1024 * 1024))));

    // First visible worksheet in tab order (workbook.xml), skipping hidden sheets and chart sheets.
    for (const sheet of reader.model?.sheets ?? []) {
      if (sheet.state === 'hidden' || sheet.state === 'veryHidden') continue;
      const rel = rels.find((r) => r.Id === sheet.rId);
      if (!rel || !REL_WORKSHEET.test(rel.Type)) continue;
      const entry = zip.entry(resolvePart(base, rel.Target));
      if (entry) return { reader, sheetEntry: entry };
    }
    throw new ImportFileError('文件不是有效的 XLSX：没有可读取的工作表', 'INVALID_FILE');
  } catch (err) {
    throw toImportError(err);
  }
}

/** exceljs's part parsers want an event-emitting stream (they use 'data'/'end'), not an async iterable. */
function textStream(source: AsyncIterable<string>): Readable {
  return Readable.from(source, { objectMode: false, encoding: 'utf8' });
}

/**
 * The parser's strings are slices and concatenations of the XML chunks they came from, which V8
 * keeps alive behind them: copying each into a flat string of its own shrinks the cache by ~40%
 * (42 → 25 MB for the 370,000 distinct strings of the 100,000-row benchmark file).
 */
function compactStrings(strings: unknown[] | undefined): void {
  if (!strings) return;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (typeof s === 'string' && s.length > 0) strings[i] = Buffer.from(s, 'utf8').toString('utf8');
  }
}

function resolvePart(base: string, target: string): string {
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(base, target));
}

const INVALID_XLSX = '文件不是有效的 XLSX（可用 Excel 或 WPS 打开后另存为 .xlsx 再上传）';
const tooLarge = () => new ImportFileError('文件内容过大，无法导入', 'TOO_LARGE');

function toImportError(err: unknown): Error {
  if (err instanceof ImportFileError) return err;
  if (err instanceof ZipFormatError && /too large/.test(err.message)) return tooLarge();
  const code = (err as { code?: unknown; syscall?: unknown } | null)?.code;
  if (typeof code === 'string' && (err as { syscall?: unknown }).syscall !== undefined) return err as Error; // I/O: ENOENT, EIO…
  return new ImportFileError(INVALID_XLSX, 'INVALID_FILE', [], { cause: err });
}

function rowCells(row: ExcelJS.Row, date1904: boolean): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    cells[col - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
  for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
  return cells;
}

/**
 * The text a cell stands for: dates → YYYY-MM-DD from UTC components (Excel dates carry no zone;
 * exceljs builds them as UTC); numbers → {@link plainNumber}; rich text → its plain text;
 * formulas → their cached result (a number under a date format → date); hyperlinks → their text;
 * errors → the error code ("#N/A"); booleans → TRUE/FALSE.
 */
export function cellText(value: unknown, numFmt: string | undefined, date1904 = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return decodeOoxmlEscapes(value);
  if (typeof value === 'number') {
    return isDateFormat(numFmt) ? dateText(excelSerialToDate(value, date1904)) : plainNumber(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return (v.richText as { text?: string }[]).map((r) => decodeOoxmlEscapes(r.text ?? '')).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText(v.result, numFmt, date1904);
    if ('error' in v) return String((v.error as string | undefined) ?? ''); // an error cell: { error: '#N/A' }
    if ('text' in v) return cellText(v.text, numFmt, date1904); // hyperlink { text, hyperlink }
    if ('sharedString' in v) throw new ImportFileError('文件不是有效的 XLSX：共享字符串缺失', 'INVALID_FILE');
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever else a cell holds, as String() writes it
  return String(value);
}

/** Same rule as exceljs: y/m/d/h/s/b outside quotes and [brackets] make a date format. */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return /[ymdhMsb]/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/**
 * A number as Excel shows it in "General" — 15 significant digits, so 0.1+0.2 is "0.3" — but spelled
 * out without an exponent: 9.13401001234568E+17 → "913401001234568000". Excel itself keeps only 15
 * significant digits, so an 18-digit ID number stored as a number has already lost its last digits
 * in the file: it reads back with trailing zeros and fails the check-digit validation, as it should.
 */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n === 0 ? 0 : n);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(n.toPrecision(15));
  if (!m) return String(n);
  const [, sign, int, frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  text = text.replace(/^0+(?=\d)/, '');
  return text === '0' ? '0' : sign + text;
}

/** OOXML escapes characters in strings as _xHHHH_ (Excel writes a line break's CR as _x000D_). */
function decodeOoxmlEscapes(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
