import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { countKnownHeaders, IMPORT_COLUMNS, matchHeaders, type HeaderMatch, type RawImportRow } from './columns';
import { detectCsvEncoding, hasUtf16Bom } from './encoding';

export type ImportFormat = 'csv' | 'xlsx';

export type ImportFileErrorCode =
  | 'INVALID_FILE'
  | 'UNSUPPORTED_ENCODING'
  | 'MALFORMED_CSV'
  | 'NO_HEADER'
  | 'MISSING_COLUMNS'
  | 'DUPLICATE_COLUMNS';

/**
 * A problem with the file as a whole (not with one row): the import is refused and the message,
 * in Chinese, is shown to the uploader as is.
 */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';

  constructor(
    message: string,
    readonly code: ImportFileErrorCode,
    /** Chinese headers concerned (MISSING_COLUMNS, DUPLICATE_COLUMNS). */
    readonly headers: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How much of a CSV is sampled to pick its encoding. */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;
/** The header row may sit below a title row (红头 "附件1：…名单"): looked for in this many non-blank rows. */
export const HEADER_SEARCH_ROWS = 10;
/** One CSV record may not exceed this many characters (guards against an unclosed quote swallowing the file). */
export const MAX_CSV_RECORD_CHARS = 1024 * 1024;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]); // legacy .xls, or an encrypted .xlsx
const SPREADSHEET_EXTENSIONS = new Set(['.xlsx', '.xlsm', '.xls', '.et', '.ods', '.numbers']);

/**
 * Format of an upload from its original name and first bytes (a few KB). XLSX by content (zip
 * magic `PK\x03\x04`); CSV by the `.csv`/`.txt` extension or, whatever the name, text content.
 * null for anything else: legacy .xls, encrypted workbooks, binaries, a spreadsheet name on a text file.
 */
export function detectFormat(originalName: string, firstBytes: Buffer): ImportFormat | null {
  if (startsWith(firstBytes, ZIP_MAGIC)) return 'xlsx';
  if (startsWith(firstBytes, OLE_MAGIC)) return null;
  const ext = extname(originalName ?? '').toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (SPREADSHEET_EXTENSIONS.has(ext)) return null;
  return firstBytes.length > 0 && looksLikeText(firstBytes) ? 'csv' : null;
}

/**
 * Reads the data rows of an import file from disk, streaming: memory stays flat whatever the
 * number of rows. The header row (the first non-blank row carrying a known header, looked for in
 * the first {@link HEADER_SEARCH_ROWS} non-blank rows) locates the columns; blank rows are
 * skipped but still counted in `row`. Cell texts are trimmed; blank cells are left out of `values`.
 *
 * Throws {@link ImportFileError} for file-level problems (not a CSV/XLSX, no header, a required
 * column missing or a column twice, UTF-16, broken CSV quoting); I/O errors (ENOENT…) pass through.
 *
 * XLSX: the first visible worksheet only. Cells become text: dates → YYYY-MM-DD (UTC components,
 * Excel dates have no zone); numbers → plain decimal, as Excel shows them in "General" but never
 * with an exponent. Excel keeps only 15 significant digits of a number, so an 18-digit 身份证号 or
 * a USCC typed into a number cell arrives damaged (340104199001011234 → "340104199001011000") and
 * fails validation, which is the right outcome; the template formats those columns as text.
 */
export async function* readImportRows(path: string, format: ImportFormat): AsyncGenerator<RawImportRow> {
  const cells = format === 'csv' ? csvRecords(path) : xlsxRecords(path);
  yield* toImportRows(cells);
}

type CellRow = { row: number; cells: string[] };

async function* toImportRows(source: AsyncIterable<CellRow>): AsyncGenerator<RawImportRow> {
  let columns: [RawImportRowKey, number][] | null = null;
  let searched = 0;
  for await (const { row, cells } of source) {
    if (isBlank(cells)) continue;
    if (columns === null) {
      searched++;
      if (countKnownHeaders(cells) === 0) {
        if (searched >= HEADER_SEARCH_ROWS) throwHeaderProblems(matchHeaders(cells));
        continue; // a title row above the header
      }
      const match = matchHeaders(cells);
      throwHeaderProblems(match);
      columns = Object.entries(match.indexOf) as [RawImportRowKey, number][];
      continue;
    }
    const values: RawImportRow['values'] = {};
    for (const [key, index] of columns) {
      const v = cells[index]?.trim();
      if (v) values[key] = v;
    }
    yield { row, values };
  }
  if (columns === null) {
    if (searched === 0) throw new ImportFileError('文件为空：没有表头行，也没有数据', 'NO_HEADER');
    throwHeaderProblems(matchHeaders([]));
  }
}

type RawImportRowKey = keyof RawImportRow['values'];

function throwHeaderProblems(match: HeaderMatch): void {
  if (match.missing.length > 0) {
    throw new ImportFileError(`缺少必填列：${match.missing.join('、')}`, 'MISSING_COLUMNS', match.missing);
  }
  if (match.duplicates.length > 0) {
    throw new ImportFileError(`列重复：${match.duplicates.join('、')}（每列只能出现一次）`, 'DUPLICATE_COLUMNS', match.duplicates);
  }
}

function isBlank(cells: string[]): boolean {
  for (const c of cells) if (c && c.trim() !== '') return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// CSV

async function* csvRecords(path: string): AsyncGenerator<CellRow> {
  const sample = await readHead(path, ENCODING_SAMPLE_BYTES);
  if (hasUtf16Bom(sample)) {
    throw new ImportFileError('不支持 UTF-16 编码的文件，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”', 'UNSUPPORTED_ENCODING');
  }
  if (sample.includes(0)) throw new ImportFileError('文件不是有效的 CSV：含有二进制内容', 'INVALID_FILE');
  const encoding = detectCsvEncoding(sample);

  const parser = parse({
    bom: true,
    trim: true,
    relax_quotes: true, // a stray quote inside an unquoted cell (公司"一部") is kept as text
    relax_column_count: true,
    skip_empty_lines: false, // blank lines still count as rows; skipped below
    max_record_size: MAX_CSV_RECORD_CHARS,
  });
  const input = createReadStream(path, { highWaterMark: ENCODING_SAMPLE_BYTES });
  const noop = () => undefined;
  // pipeline propagates errors and tears every stage down when the consumer stops early.
  if (encoding === 'gb18030') pipeline(input, iconv.decodeStream('gb18030'), parser, noop);
  else pipeline(input, parser, noop);

  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (err) {
    if (err instanceof CsvError) throw csvError(err, row + 1);
    throw err;
  }
}

function csvError(err: CsvError, row: number): ImportFileError {
  const where = `第 ${row} 行`;
  const message =
    err.code === 'CSV_QUOTE_NOT_CLOSED'
      ? `CSV 格式错误：${where}的引号没有闭合`
      : err.code === 'CSV_MAX_RECORD_SIZE'
        ? `CSV 格式错误：${where}过长（可能是引号没有闭合）`
        : `CSV 格式错误：${where}无法解析（${err.code}）`;
  return new ImportFileError(message, 'MALFORMED_CSV', [], { cause: err });
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX

/**
 * Streams the first visible worksheet with exceljs's WorkbookReader. Notes on its behaviour
 * (exceljs 4.4.0):
 * - `styles: 'cache'` is required, or date cells arrive as serial numbers (the date format lives in
 *   styles.xml); formula cells never get that treatment, handled in {@link cellText}.
 * - Worksheets met in the zip before xl/sharedStrings.xml (Excel and exceljs both write them first)
 *   are spooled to a temporary file and parsed afterwards: disk, not memory. Shared strings are
 *   held in memory (one copy of each distinct string).
 * - Worksheets are emitted in zip order, not tab order: the first visible tab is picked by name
 *   from xl/workbook.xml.
 * - `hyperlinks: 'ignore'` (exceljs's default despite its README): a hyperlink cell then reads as
 *   its displayed text; 'cache' would replace the value with a link object.
 * - Errors of the input stream are not forwarded to the unzipper (it would wait forever), hence
 *   the explicit open before handing the stream over.
 */
async function* xlsxRecords(path: string): AsyncGenerator<CellRow> {
  const head = await readHead(path, ZIP_MAGIC.length);
  if (!startsWith(head, ZIP_MAGIC)) throw new ImportFileError('文件不是有效的 XLSX', 'INVALID_FILE');

  const input = createReadStream(path);
  await once(input, 'ready');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let readOne = false;
  try {
    for await (const worksheet of reader) {
      if (readOne || !isFirstVisibleSheet(reader, worksheet)) {
        skipWorksheet(worksheet);
        continue;
      }
      readOne = true;
      const date1904 = Boolean((reader as unknown as WorkbookReaderInternals).properties?.model?.date1904);
      let previous = 0;
      for await (const row of worksheet) {
        // `r` is optional in OOXML; when absent the row follows the previous one.
        const number = Number.isFinite(row.number) && row.number > 0 ? row.number : previous + 1;
        previous = number;
        yield { row: number, cells: rowCells(row, date1904) };
      }
      // Keep going: exceljs removes a spooled worksheet's temporary file only when iteration passes it.
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    if (isIoError(err)) throw err;
    throw new ImportFileError('文件不是有效的 XLSX（无法读取工作表）', 'INVALID_FILE', [], { cause: err });
  } finally {
    input.destroy();
  }
  if (!readOne) throw new ImportFileError('文件不是有效的 XLSX：没有工作表', 'INVALID_FILE');
}

interface WorkbookReaderInternals {
  model?: { sheets?: { name: string; state?: string }[] };
  properties?: { model?: { date1904?: boolean } };
}

function isFirstVisibleSheet(reader: ExcelJS.stream.xlsx.WorkbookReader, worksheet: ExcelJS.stream.xlsx.WorksheetReader): boolean {
  const sheets = (reader as unknown as WorkbookReaderInternals).model?.sheets;
  if (!sheets?.length) return true; // workbook.xml not seen yet: take the first one emitted
  const first = sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0];
  return (worksheet as unknown as { name: string }).name === first.name;
}

function skipWorksheet(worksheet: ExcelJS.stream.xlsx.WorksheetReader): void {
  // A spooled worksheet comes with an open file stream; a direct one is drained by exceljs itself.
  const iterator = (worksheet as unknown as { iterator?: Readable }).iterator;
  if (iterator && typeof iterator.destroy === 'function') iterator.destroy();
}

function rowCells(row: ExcelJS.Row, date1904: boolean): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    cells[col - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
  for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
  return cells;
}

/** The text a cell stands for, as the import understands it. Exported for tests. */
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
    if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => decodeOoxmlEscapes(r.text ?? '')).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText(v.result, numFmt, date1904);
    if ('error' in v) return String(v.error ?? '');
    if ('text' in v) return cellText(v.text, numFmt, date1904); // hyperlink { text, hyperlink }
  }
  return String(value);
}

/** Same rule as exceljs: a format with y/m/d/h/s outside quotes and [brackets] is a date. */
function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return /[ymdhMsb]/.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const y = d.getUTCFullYear();
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${m}-${day}`;
}

/**
 * A number as Excel displays it in "General" (15 significant digits, so 0.1+0.2 is "0.3") but
 * spelled out without an exponent: 9.13401001234568E+17 → "913401001234568000".
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

// ---------------------------------------------------------------------------------------------

function startsWith(buffer: Buffer, magic: Buffer): boolean {
  return buffer.length >= magic.length && buffer.subarray(0, magic.length).equals(magic);
}

function looksLikeText(bytes: Buffer): boolean {
  if (hasUtf16Bom(bytes)) return true;
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control <= bytes.length / 100;
}

function isIoError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && (err as { syscall?: unknown }).syscall !== undefined;
}

/** Required headers, in template order (for messages and docs). */
export const REQUIRED_HEADERS: readonly string[] = IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.header);
