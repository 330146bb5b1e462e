import { toCsv } from '@jrp/http';
import { generatedLabel, periodLabel, ReportColumn, ReportTable, shanghaiTime } from './report-table';

function cell(value: unknown, column: ReportColumn): string {
  if (value === null || value === undefined) return '';
  if (column.kind === 'rate') return `${(Number(value) * 100).toFixed(2)}%`;
  if (column.kind === 'datetime') return shanghaiTime(new Date(value as string));
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a report cell is an SQL scalar (text or number)
  return String(value);
}

/**
 * CSV through jrp's one CSV writer (`toCsv`: UTF-8 with a byte-order mark so Excel shows Chinese, CRLF
 * lines, every cell quoted as RFC 4180 says and never run as a formula by a spreadsheet): the title, the
 * period and the generation time each on a line of their own, then the Chinese headers, the rows and the
 * totals.
 */
export function tableToCsv(t: ReportTable): Buffer {
  const rows = [
    ...t.rows.map((r) => t.columns.map((c) => cell(r[c.key], c))),
    ...(t.totals ? [t.columns.map((c, i) => (i === 0 ? '合计' : cell(t.totals![c.key], c)))] : []),
  ];
  return toCsv(
    t.columns.map((c) => c.header),
    rows,
    { preamble: [[t.title], [periodLabel(t.period)], [generatedLabel(t.generatedAt)]] },
  );
}
