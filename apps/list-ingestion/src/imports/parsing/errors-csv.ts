import { createCsvWriter, CsvCell, CsvWriter, toCsv } from '@jrp/http';
import { IMPORT_COLUMNS, type ImportColumnKey } from './columns';

/** A rejected row as reported back to the uploader (its identifier cells already masked when it was stored). */
export type ErrorRow = { row: number; values: Partial<Record<ImportColumnKey, string>>; reasons: string[] };

export const ERROR_CSV_HEADERS: readonly string[] = ['行号', ...IMPORT_COLUMNS.map((c) => c.header), '错误原因'];

function cells(row: ErrorRow): CsvCell[] {
  return [String(row.row), ...IMPORT_COLUMNS.map((c) => row.values[c.key]), row.reasons.join('；')];
}

/**
 * The rejected rows as a CSV for the uploader to correct and upload again, written by jrp's one CSV
 * writer (`toCsv`: UTF-8 with BOM, CRLF, formula-safe cells): header 行号 + the template's headers +
 * 错误原因, reasons joined with '；'. Builds the whole file in memory: for a bounded number of rows; see
 * createErrorCsvWriter.
 */
export function errorRowsCsv(rows: readonly ErrorRow[]): Buffer {
  return toCsv(ERROR_CSV_HEADERS, rows.map(cells));
}

export interface ErrorCsvWriter {
  /** Resolves once the line is accepted (waits for 'drain' when the stream is full). */
  write(row: ErrorRow): Promise<void>;
  /** Ends the stream; resolves when it has finished (or closed). */
  end(): Promise<void>;
  /** Rows written so far. */
  readonly count: number;
}

/** The same CSV written row by row to a stream (a file on disk, an HTTP response), honouring backpressure. */
export function createErrorCsvWriter(stream: NodeJS.WritableStream): ErrorCsvWriter {
  const writer: CsvWriter = createCsvWriter(stream, ERROR_CSV_HEADERS);
  return {
    get count() {
      return writer.count;
    },
    write: (row) => writer.write(cells(row)),
    end: () => writer.end(),
  };
}
