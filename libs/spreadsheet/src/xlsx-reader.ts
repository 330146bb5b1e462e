import { posix } from 'node:path';
import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import {
  DEFAULT_SPREADSHEET_LIMITS,
  inflateExcessMessage,
  sheetBoundProblem,
  SpreadsheetError,
  type SpreadsheetLimits,
} from './limits';
import { normalizeSpreadsheetXml } from './spreadsheet-xml';
import { ZipBoundError, ZipReader, type ZipEntry } from './zip-reader';

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

/** A worksheet of the workbook, in tab order. */
export interface WorksheetInfo {
  name: string;
  hidden: boolean;
}

/**
 * An XLSX workbook read within {@link SpreadsheetLimits}: its workbook part, shared strings and styles
 * are loaded when it is opened; each worksheet is then streamed row by row, as cell texts
 * ({@link cellText}). Every failure is a {@link SpreadsheetError} (INVALID_FILE: not a readable
 * workbook; TOO_LARGE: a bound crossed), except I/O errors on the file (ENOENT…), which pass through.
 * `close()` releases the file; reading a worksheet to its end does not.
 */
export class XlsxWorkbook {
  private constructor(
    private readonly zip: ZipReader,
    private readonly reader: WorkbookReaderParts,
    private readonly sheets: (WorksheetInfo & { entry: ZipEntry })[],
    private readonly limits: SpreadsheetLimits,
  ) {}

  /** Opens the workbook at `path`; `limits` tighten (or loosen) {@link DEFAULT_SPREADSHEET_LIMITS}. */
  static async open(path: string, limits: Partial<SpreadsheetLimits> = {}): Promise<XlsxWorkbook> {
    return XlsxWorkbook.load(() => ZipReader.open(path), limits);
  }

  /** The same for a workbook held in memory (a small upload). */
  static async fromBuffer(bytes: Buffer, limits: Partial<SpreadsheetLimits> = {}): Promise<XlsxWorkbook> {
    return XlsxWorkbook.load(() => ZipReader.fromBuffer(bytes), limits);
  }

  private static async load(
    openZip: () => Promise<ZipReader>,
    given: Partial<SpreadsheetLimits>,
  ): Promise<XlsxWorkbook> {
    const limits = { ...DEFAULT_SPREADSHEET_LIMITS, ...given };
    let zip: ZipReader;
    try {
      zip = await openZip();
    } catch (err) {
      throw toSpreadsheetError(err);
    }
    try {
      const { reader, sheets } = await loadWorkbook(zip, limits);
      return new XlsxWorkbook(zip, reader, sheets, limits);
    } catch (err) {
      await zip.close();
      throw toSpreadsheetError(err);
    }
  }

  /** The worksheets (chart sheets left out), in tab order. */
  worksheets(): WorksheetInfo[] {
    return this.sheets.map(({ name, hidden }) => ({ name, hidden }));
  }

  /**
   * Rows of the worksheet named `name` (hidden or not), or of the first visible one when no name is
   * given, as cell texts, streaming; blank cells inside a row are ''. Throws INVALID_FILE when there
   * is no such worksheet, TOO_LARGE past a row or column bound.
   */
  async *rows(name?: string): AsyncGenerator<CellRow> {
    const sheet = name === undefined ? this.sheets.find((s) => !s.hidden) : this.sheets.find((s) => s.name === name);
    if (!sheet)
      throw new SpreadsheetError(
        name === undefined ? '文件不是有效的 XLSX：没有可读取的工作表' : `缺少工作表：${name}`,
        'INVALID_FILE',
      );
    const date1904 = Boolean(this.reader.properties?.model?.date1904);
    let it: AsyncIterator<ExcelJS.Row>;
    try {
      const text = await this.zip.openText(sheet.entry, {
        maxBytes: this.limits.maxWorksheetBytes,
        maxRatio: this.limits.maxInflateRatio,
      });
      const rows = new WorksheetReader({
        workbook: this.reader,
        id: 1,
        iterator: normalizeSpreadsheetXml(text, 'worksheet'),
        options: { ...READER_OPTIONS },
      });
      it = rows[Symbol.asyncIterator]();
    } catch (err) {
      throw toSpreadsheetError(err);
    }
    let previous = 0;
    for (;;) {
      let next: IteratorResult<ExcelJS.Row>;
      try {
        next = await it.next();
      } catch (err) {
        throw toSpreadsheetError(err);
      }
      if (next.done) break;
      const row = next.value;
      // `r` is optional in OOXML; when absent the row follows the previous one.
      const number = Number.isFinite(row.number) && row.number > previous ? row.number : previous + 1;
      previous = number;
      const last = lastColumn(row);
      const problem = sheetBoundProblem(sheet.name, number, last, this.limits);
      if (problem) throw new SpreadsheetError(problem, 'TOO_LARGE');
      yield { row: number, cells: rowCells(row, last, date1904) };
    }
  }

  /** Stops any worksheet still being read and releases the file. */
  close(): Promise<void> {
    return this.zip.close();
  }
}

/**
 * Rows of the first visible worksheet (tab order) of an XLSX file, as cell texts, streaming; the file
 * is released when the rows end or the consumer stops. See {@link XlsxWorkbook}.
 */
export async function* readFirstSheetRows(
  path: string,
  limits: Partial<SpreadsheetLimits> = {},
): AsyncGenerator<CellRow> {
  const workbook = await XlsxWorkbook.open(path, limits);
  try {
    yield* workbook.rows();
  } finally {
    await workbook.close();
  }
}

async function loadWorkbook(
  zip: ZipReader,
  limits: SpreadsheetLimits,
): Promise<{ reader: WorkbookReaderParts; sheets: (WorksheetInfo & { entry: ZipEntry })[] }> {
  const part = { maxBytes: limits.maxPartBytes, maxRatio: limits.maxInflateRatio };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader('', { ...READER_OPTIONS }) as unknown as WorkbookReaderParts;

  // _rels/.rels → the workbook part (xl/workbook.xml, by convention).
  let workbookPath = 'xl/workbook.xml';
  const rootRels = zip.entry('_rels/.rels');
  if (rootRels) {
    await reader._parseRels(await zip.openText(rootRels, part));
    const office = (reader.workbookRels ?? []).find((r) => REL_OFFICE_DOCUMENT.test(r.Type));
    if (office) workbookPath = resolvePart('', office.Target);
    reader.workbookRels = undefined;
  }
  const workbookEntry = zip.entry(workbookPath);
  if (!workbookEntry) throw new SpreadsheetError('文件不是有效的 XLSX：缺少工作簿', 'INVALID_FILE');
  const base = posix.dirname(workbookEntry.name);
  const relsEntry = zip.entry(posix.join(base, '_rels', `${posix.basename(workbookEntry.name)}.rels`));
  if (!relsEntry) throw new SpreadsheetError('文件不是有效的 XLSX：缺少工作簿关系', 'INVALID_FILE');

  await reader._parseRels(await zip.openText(relsEntry, part));
  await reader._parseWorkbook(textStream(normalizeSpreadsheetXml(await zip.openText(workbookEntry, part))));
  const rels = reader.workbookRels ?? [];
  const partOf = (type: RegExp, fallback: string) => {
    const rel = rels.find((r) => type.test(r.Type));
    return zip.entry(rel ? resolvePart(base, rel.Target) : fallback);
  };

  const sharedStrings = partOf(REL_SHARED_STRINGS, posix.join(base, 'sharedStrings.xml'));
  if (sharedStrings) {
    const text = normalizeSpreadsheetXml(
      await zip.openText(sharedStrings, { maxBytes: limits.maxSharedStringsBytes, maxRatio: limits.maxInflateRatio }),
      'sharedStrings',
    );
    for await (const _ of reader._parseSharedStrings(textStream(text))) {
      // 'cache' mode: the strings are collected on the reader, nothing is yielded
    }
    compactStrings(reader.sharedStrings);
  }
  const styles = partOf(REL_STYLES, posix.join(base, 'styles.xml'));
  if (styles) await reader._parseStyles(textStream(normalizeSpreadsheetXml(await zip.openText(styles, part))));

  // Worksheets in tab order (workbook.xml), chart sheets left out.
  const sheets: (WorksheetInfo & { entry: ZipEntry })[] = [];
  for (const sheet of reader.model?.sheets ?? []) {
    const rel = rels.find((r) => r.Id === sheet.rId);
    if (!rel || !REL_WORKSHEET.test(rel.Type)) continue;
    const entry = zip.entry(resolvePart(base, rel.Target));
    if (!entry) continue;
    sheets.push({ name: sheet.name, hidden: sheet.state === 'hidden' || sheet.state === 'veryHidden', entry });
  }
  if (!sheets.some((s) => !s.hidden))
    throw new SpreadsheetError('文件不是有效的 XLSX：没有可读取的工作表', 'INVALID_FILE');
  return { reader, sheets };
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

function toSpreadsheetError(err: unknown): Error {
  if (err instanceof SpreadsheetError) return err;
  if (err instanceof ZipBoundError)
    return new SpreadsheetError(inflateExcessMessage(err.excess), 'TOO_LARGE', { cause: err });
  const code = (err as { code?: unknown; syscall?: unknown } | null)?.code;
  if (typeof code === 'string' && (err as { syscall?: unknown }).syscall !== undefined) return err as Error; // I/O: ENOENT, EIO…
  return new SpreadsheetError(INVALID_XLSX, 'INVALID_FILE', { cause: err });
}

/** The highest column holding a value (1 = A), 0 for a row of none. */
function lastColumn(row: ExcelJS.Row): number {
  let last = 0;
  row.eachCell({ includeEmpty: false }, (_cell, col) => {
    if (col > last) last = col;
  });
  return last;
}

function rowCells(row: ExcelJS.Row, last: number, date1904: boolean): string[] {
  const cells = new Array<string>(last).fill('');
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    cells[col - 1] = cellText(cell.value, cell.numFmt, date1904);
  });
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
    if ('sharedString' in v) throw new SpreadsheetError('文件不是有效的 XLSX：共享字符串缺失', 'INVALID_FILE');
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
