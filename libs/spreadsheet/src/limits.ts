/**
 * The bounds an uploaded workbook is read within. A workbook is a zip of XML parts: a file of a few
 * kilobytes can inflate to gigabytes (a zip bomb), hold a million empty rows, or a cell at column
 * XFD of row 1,048,576. Every part is inflated as a stream and counted as it goes; the first bound
 * crossed stops the read with a {@link SpreadsheetError} (TOO_LARGE).
 */
export interface SpreadsheetLimits {
  /** Inflated bytes of one worksheet part (streamed). */
  maxWorksheetBytes: number;
  /** Inflated bytes of xl/sharedStrings.xml (held in memory: one copy of each distinct string). */
  maxSharedStringsBytes: number;
  /** Inflated bytes of each other part read: relationships, workbook, styles. */
  maxPartBytes: number;
  /** Inflated bytes per compressed byte of a part, checked once a part has inflated past {@link RATIO_GRACE_BYTES}. */
  maxInflateRatio: number;
  /** The highest row number read from a worksheet. */
  maxRows: number;
  /** The highest column of a cell read from a worksheet (1 = A). */
  maxColumns: number;
}

/** A part may inflate this far before its compression ratio is judged (small parts compress oddly). */
export const RATIO_GRACE_BYTES = 1024 * 1024;

/** Excel's own sheet size: 1,048,576 rows × 16,384 columns (XFD). */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

/**
 * What any workbook Excel or WPS writes fits in. Real workbooks compress 2:1 to 20:1 (measured: a
 * 100,000-row list with shared strings 8.4:1, the same text in every cell 19.7:1, 600,000 styled empty
 * cells 11.6:1); deflate cannot exceed about 1,032:1, and zip bombs sit near that.
 */
export const DEFAULT_SPREADSHEET_LIMITS: Readonly<SpreadsheetLimits> = Object.freeze({
  maxWorksheetBytes: 2 * 1024 * 1024 * 1024,
  maxSharedStringsBytes: 256 * 1024 * 1024,
  maxPartBytes: 64 * 1024 * 1024,
  maxInflateRatio: 100,
  maxRows: EXCEL_MAX_ROWS,
  maxColumns: EXCEL_MAX_COLUMNS,
});

export type SpreadsheetErrorCode = 'INVALID_FILE' | 'TOO_LARGE';

/** The workbook cannot be read (INVALID_FILE) or crosses a bound (TOO_LARGE); the message, in Chinese, is for the uploader. */
export class SpreadsheetError extends Error {
  override readonly name = 'SpreadsheetError';

  constructor(
    message: string,
    readonly code: SpreadsheetErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How much a part may inflate: at most `maxBytes`, and at most `maxRatio` times its compressed size. */
export interface InflateBound {
  maxBytes?: number;
  maxRatio?: number;
}

/**
 * Whether a part that has inflated to `inflated` bytes from `compressed` bytes (its whole compressed
 * size: the ratio only grows as it inflates further) has crossed its bound: 'size', 'ratio' or null.
 */
export function inflateExcess(inflated: number, compressed: number, bound: InflateBound): 'size' | 'ratio' | null {
  if (bound.maxBytes !== undefined && inflated > bound.maxBytes) return 'size';
  if (
    bound.maxRatio !== undefined &&
    inflated > RATIO_GRACE_BYTES &&
    inflated > Math.max(compressed, 1) * bound.maxRatio
  )
    return 'ratio';
  return null;
}

/** The uploader's message for a part that crossed its inflate bound. */
export function inflateExcessMessage(excess: 'size' | 'ratio'): string {
  return excess === 'size'
    ? '文件内容过大（解压后超过上限），无法导入'
    : '文件压缩比异常（解压后体积远超文件本身，疑似压缩炸弹），无法导入';
}

/** The uploader's message for a worksheet row beyond the limits, or null when it is within them. */
export function sheetBoundProblem(
  sheet: string,
  row: number,
  lastColumn: number,
  limits: Pick<SpreadsheetLimits, 'maxRows' | 'maxColumns'>,
): string | null {
  if (row > limits.maxRows) return `工作表「${sheet}」超过 ${limits.maxRows} 行，无法导入`;
  if (lastColumn > limits.maxColumns) return `工作表「${sheet}」第 ${row} 行超过 ${limits.maxColumns} 列，无法导入`;
  return null;
}
