import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import * as iconv from 'iconv-lite';
import { countKnownHeaders, IMPORT_COLUMNS, matchHeaders, type HeaderMatch, type RawImportRow } from './columns';
import { detectCsvEncoding, hasUtf16Bom, readFirstSheetRows, SpreadsheetError, type CellRow } from '@jrp/spreadsheet';
import { ImportFileError } from './import-file-error';

export { ImportFileError, type ImportFileErrorCode } from './import-file-error';
export { cellText, plainNumber } from '@jrp/spreadsheet';

export type ImportFormat = 'csv' | 'xlsx';

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
 * column missing or a column twice, UTF-16, broken CSV quoting, a damaged workbook); I/O errors
 * (ENOENT…) pass through. Some of these surface only part-way through (an unclosed quote at row
 * 50,000): callers must be ready for the error after rows have been yielded.
 *
 * CSV: UTF-8 (BOM or not) or GB18030/GBK, picked from the first {@link ENCODING_SAMPLE_BYTES}.
 * XLSX: the first visible worksheet (tab order) only; cells converted by {@link cellText}: dates →
 * YYYY-MM-DD, numbers → plain decimal without exponent. Excel keeps only 15 significant digits of
 * a number, so an 18-digit 身份证号 typed into a number cell arrives damaged
 * (340104199001011234 → "340104199001011000") and fails validation, which is the right outcome;
 * the template formats those columns as text.
 */
export async function* readImportRows(path: string, format: ImportFormat): AsyncGenerator<RawImportRow> {
  yield* toImportRows(format === 'csv' ? csvRecords(path) : xlsxRecords(path));
}

/**
 * The first visible worksheet's rows, read within the workbook bounds of `@jrp/spreadsheet` (inflated
 * part sizes, inflate ratio, Excel's 1,048,576 rows × 16,384 columns); a bound crossed or a damaged
 * workbook is an ImportFileError with the reason in Chinese.
 */
async function* xlsxRecords(path: string): AsyncGenerator<CellRow> {
  try {
    yield* readFirstSheetRows(path);
  } catch (err) {
    if (err instanceof SpreadsheetError) throw new ImportFileError(err.message, err.code, [], { cause: err });
    throw err;
  }
}

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
    throw new ImportFileError(
      `列重复：${match.duplicates.join('、')}（每列只能出现一次）`,
      'DUPLICATE_COLUMNS',
      match.duplicates,
    );
  }
}

/**
 * Binary content (or UTF-16 without a BOM): NUL bytes make up more than 1 % of the sample. A stray NUL in
 * a cell of a text file is not the file's fault: its row is rejected with the reason (含有空字符).
 */
export function looksBinary(sample: Buffer): boolean {
  let nul = 0;
  for (const byte of sample) if (byte === 0) nul++;
  return nul > 0 && nul * 100 > sample.length;
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
    throw new ImportFileError(
      '不支持 UTF-16 编码的文件，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”',
      'UNSUPPORTED_ENCODING',
    );
  }
  if (looksBinary(sample)) throw new ImportFileError('文件不是有效的 CSV：含有二进制内容', 'INVALID_FILE');
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

/** Required headers, in template order (for messages and docs). */
export const REQUIRED_HEADERS: readonly string[] = IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.header);
