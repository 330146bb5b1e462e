import { csvField } from '@jrp/http';
import { IMPORT_COLUMNS, type ImportColumnKey } from './columns';

/** A rejected row as reported back to the uploader. */
export type ErrorRow = { row: number; values: Partial<Record<ImportColumnKey, string>>; reasons: string[] };

const BOM = '\ufeff';
export const ERROR_CSV_HEADERS: readonly string[] = ['行号', ...IMPORT_COLUMNS.map((c) => c.header), '错误原因'];

function line(row: ErrorRow): string {
  const fields = [
    String(row.row),
    ...IMPORT_COLUMNS.map((c) => csvField(row.values[c.key])),
    csvField(row.reasons.join('；')),
  ];
  return `${fields.join(',')}\r\n`;
}

const HEADER_LINE = `${BOM}${ERROR_CSV_HEADERS.map(csvField).join(',')}\r\n`;

/**
 * The rejected rows as a CSV for the uploader to correct and upload again: UTF-8 with BOM (so
 * Excel shows the Chinese), CRLF, header 行号 + the template's headers + 错误原因, reasons joined
 * with '；'. Builds the whole file in memory: for a bounded number of rows; see createErrorCsvWriter.
 */
export function errorRowsCsv(rows: readonly ErrorRow[]): Buffer {
  const parts = [HEADER_LINE];
  for (const row of rows) parts.push(line(row));
  return Buffer.from(parts.join(''), 'utf8');
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
  let count = 0;
  let headerWritten = false;
  const put = (text: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      stream.once('error', onError);
      const done = () => {
        stream.removeListener('error', onError);
        resolve();
      };
      if (stream.write(Buffer.from(text, 'utf8'))) done();
      else stream.once('drain', done);
    });
  const writeHeader = async () => {
    if (!headerWritten) {
      headerWritten = true;
      await put(HEADER_LINE);
    }
  };
  return {
    get count() {
      return count;
    },
    async write(row) {
      await writeHeader();
      count++;
      await put(line(row));
    },
    async end() {
      await writeHeader();
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.once('finish', resolve);
        stream.once('close', resolve);
        stream.end();
      });
    },
  };
}
