/**
 * jrp's one CSV writer: every CSV it serves (reports, rejected import rows) is built here, from a header
 * and rows, as UTF-8 with a byte-order mark (so Excel shows the Chinese) and CRLF line ends, every cell
 * through `csvField`.
 */

/** A cell as a CSV or spreadsheet writer takes it. */
export type CsvCell = string | number | null | undefined;

/** The UTF-8 byte-order mark that starts every CSV jrp writes. */
export const CSV_BOM = '\ufeff';

/** Characters a spreadsheet reads as the start of a formula: = + - @, and tab or CR, which Excel strips first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet shows as text instead of running it as a formula (CSV injection): one that
 * starts with = + - @ (or tab / CR) gets a leading single quote. Used for CSV fields and the text cells
 * of the XLSX files jrp writes.
 */
export function formulaSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV field, the only way jrp writes one: formula-safe (see `formulaSafe`), then quoted when it holds
 * a comma, quote, CR or LF (quotes doubled, RFC 4180).
 */
export function csvField(value: CsvCell): string {
  const text = formulaSafe(value === undefined || value === null ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, its CRLF included. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** What a CSV file may carry above its header: lines of their own (a report's title, period and time). */
export interface CsvOptions {
  preamble?: readonly (readonly CsvCell[])[];
}

/** The first bytes of a CSV: the BOM, the preamble lines, the header line. */
function csvHead(header: readonly CsvCell[], options: CsvOptions): string {
  return CSV_BOM + [...(options.preamble ?? []), header].map(csvLine).join('');
}

/** A whole CSV file in memory, for a bounded number of rows: BOM, preamble, header, rows. */
export function toCsv(
  header: readonly CsvCell[],
  rows: Iterable<readonly CsvCell[]>,
  options: CsvOptions = {},
): Buffer {
  const parts = [csvHead(header, options)];
  for (const row of rows) parts.push(csvLine(row));
  return Buffer.from(parts.join(''), 'utf8');
}

export interface CsvWriter {
  /** Resolves once the line is accepted (waits for 'drain' when the stream is full). */
  write(row: readonly CsvCell[]): Promise<void>;
  /** Ends the stream (after the head, when no row was written); resolves when it has finished (or closed). */
  end(): Promise<void>;
  /** Rows written so far. */
  readonly count: number;
}

/**
 * The same CSV as `toCsv`, written row by row to a stream (a file on disk, an HTTP response), honouring
 * backpressure: the same bytes for the same rows.
 */
export function createCsvWriter(
  stream: NodeJS.WritableStream,
  header: readonly CsvCell[],
  options: CsvOptions = {},
): CsvWriter {
  let count = 0;
  let headWritten = false;
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
  const writeHead = async () => {
    if (!headWritten) {
      headWritten = true;
      await put(csvHead(header, options));
    }
  };
  return {
    get count() {
      return count;
    },
    async write(row) {
      await writeHead();
      count++;
      await put(csvLine(row));
    },
    async end() {
      await writeHead();
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.once('finish', resolve);
        stream.once('close', resolve);
        stream.end();
      });
    },
  };
}
