import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { formulaSafe } from '@jrp/http';
import { detectCsvEncoding, SpreadsheetError, XlsxWorkbook } from '@jrp/spreadsheet';
import { BATCH_HEADERS, batchInputsOf, BatchSubjectInput, MAX_BATCH_SUBJECTS } from './batch-rows';

/** Why an uploaded batch cannot be read at all (Chinese); `tooLarge`: 413. */
export class BatchFileError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A whole CSV file's text, in the encoding `detectCsvEncoding` finds (UTF-8, its BOM dropped, or GB18030). */
export function csvText(bytes: Buffer): string {
  if (detectCsvEncoding(bytes, { whole: true }) === 'gb18030') return iconv.decode(bytes, 'gb18030');
  return (bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes).toString('utf8');
}

/** The subjects of an uploaded batch: XLSX (its first visible sheet) or CSV (UTF-8 or GB18030). */
export async function batchFromFile(bytes: Buffer): Promise<BatchSubjectInput[]> {
  const rows: string[][] = [];
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    let workbook: XlsxWorkbook;
    try {
      workbook = await XlsxWorkbook.fromBuffer(bytes, { maxRows: MAX_BATCH_SUBJECTS + 20 });
    } catch (error) {
      throw fileError(error);
    }
    try {
      for await (const { cells } of workbook.rows()) rows.push(cells);
    } catch (error) {
      throw fileError(error);
    } finally {
      await workbook.close();
    }
  } else {
    try {
      const records: string[][] = parse(csvText(bytes), {
        relax_column_count: true,
        skip_empty_lines: true,
        bom: true,
      });
      rows.push(...records);
    } catch {
      throw new BatchFileError('文件既不是 XLSX 也不是可读取的 CSV（UTF-8 或 GB18030）');
    }
  }
  const inputs = batchInputsOf(rows);
  if (inputs === null)
    throw new BatchFileError(`找不到表头：应有“${BATCH_HEADERS.uscc}”或“${BATCH_HEADERS.idNumber}”列`);
  return inputs;
}

function fileError(error: unknown): BatchFileError {
  if (error instanceof SpreadsheetError) return new BatchFileError(error.message, error.code === 'TOO_LARGE');
  return new BatchFileError('文件不是有效的 XLSX');
}

/** One row of the XLSX answer. */
export interface BatchSheetRow {
  row: number;
  name: string | null;
  subject: string;
  result: string;
  lists: string;
  measures: string;
  withheld: string;
  reason: string;
}

/** The batch's answer as a workbook (批量比对结果), every text cell formula-safe. */
export async function batchToXlsx(rows: BatchSheetRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('批量比对结果');
  sheet.columns = [
    { header: '序号', key: 'row', width: 8 },
    { header: '主体名称', key: 'name', width: 28 },
    { header: '统一社会信用代码/证件号码', key: 'subject', width: 24 },
    { header: '比对结果', key: 'result', width: 12 },
    { header: '名单', key: 'lists', width: 36 },
    { header: '本部门应实施的措施', key: 'measures', width: 60 },
    { header: '不适用的便利措施', key: 'withheld', width: 28 },
    { header: '无法比对的原因', key: 'reason', width: 36 },
  ];
  for (const r of rows)
    sheet.addRow({
      row: r.row,
      name: formulaSafe(r.name ?? ''),
      subject: formulaSafe(r.subject),
      result: r.result,
      lists: formulaSafe(r.lists),
      measures: formulaSafe(r.measures),
      withheld: r.withheld,
      reason: formulaSafe(r.reason),
    });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
