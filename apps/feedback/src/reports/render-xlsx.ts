import ExcelJS from 'exceljs';
import { formulaSafe } from '@jrp/http';
import { generatedLabel, periodLabel, ReportColumn, ReportTable } from './report-table';

function value(v: unknown, column: ReportColumn): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (column.kind === 'count' || column.kind === 'rate') return Number(v);
  if (column.kind === 'datetime') return new Date(v as string);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a report cell is an SQL scalar (text or number)
  return formulaSafe(String(v));
}

const FORMATS: Partial<Record<ReportColumn['kind'], string>> = {
  count: '#,##0',
  rate: '0.00%',
  datetime: 'yyyy-mm-dd hh:mm',
};

/**
 * XLSX: a merged title row, the period and the generation time, bold Chinese headers (frozen), numbers
 * as numbers and rates as percentage-formatted numbers, a totals row. Every text cell is formula-safe
 * (`formulaSafe`, as in the CSV): one starting with = + - @ gets a leading single quote.
 */
export async function tableToXlsx(t: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'jrp';
  workbook.created = t.generatedAt;
  const sheet = workbook.addWorksheet(t.title.slice(0, 31));
  const width = t.columns.length;
  sheet.addRow([formulaSafe(t.title)]);
  sheet.mergeCells(1, 1, 1, Math.max(width, 1));
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.getCell(1, 1).alignment = { horizontal: 'center' };
  sheet.addRow([formulaSafe(periodLabel(t.period))]);
  sheet.addRow([formulaSafe(generatedLabel(t.generatedAt))]);
  const header = sheet.addRow(t.columns.map((c) => formulaSafe(c.header)));
  header.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 4 }];
  for (const r of t.rows) sheet.addRow(t.columns.map((c) => value(r[c.key], c)));
  if (t.totals) {
    const totals = sheet.addRow(t.columns.map((c, i) => (i === 0 ? '合计' : value(t.totals![c.key], c))));
    totals.font = { bold: true };
  }
  t.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.max(10, Math.min(40, c.header.length * 2 + 4));
    const format = FORMATS[c.kind];
    if (format) for (let row = 5; row <= sheet.rowCount; row++) sheet.getCell(row, i + 1).numFmt = format;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
