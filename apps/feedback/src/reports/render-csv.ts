import { csvField } from '@jrp/http';
import { generatedLabel, periodLabel, ReportColumn, ReportTable, shanghaiTime } from './report-table';

const BOM = '\uFEFF';

function cell(value: unknown, column: ReportColumn): string {
  if (value === null || value === undefined) return '';
  if (column.kind === 'rate') return `${(Number(value) * 100).toFixed(2)}%`;
  if (column.kind === 'datetime') return shanghaiTime(new Date(value as string));
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a report cell is an SQL scalar (text or number)
  return String(value);
}

/**
 * CSV, UTF-8 with a byte-order mark (so Excel shows Chinese), CRLF lines: the title, the period and the
 * generation time each on a line of their own, then the Chinese headers, the rows and the totals.
 */
export function tableToCsv(t: ReportTable): Buffer {
  // every cell through csvField: quoted as RFC 4180 says, and never run as a formula by a spreadsheet
  const line = (cells: string[]) => cells.map(csvField).join(',');
  const lines = [
    line([t.title]),
    line([periodLabel(t.period)]),
    line([generatedLabel(t.generatedAt)]),
    line(t.columns.map((c) => c.header)),
    ...t.rows.map((r) => line(t.columns.map((c) => cell(r[c.key], c)))),
    ...(t.totals ? [line(t.columns.map((c, i) => (i === 0 ? '合计' : cell(t.totals![c.key], c))))] : []),
  ];
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
