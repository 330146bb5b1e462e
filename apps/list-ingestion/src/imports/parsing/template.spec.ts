import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { isValidIdNumber, isValidUscc } from '@jrp/domain';
import { IMPORT_COLUMNS } from './columns';
import { readImportRows } from './read-rows';
import { TEMPLATE_DATA_SHEET, TEMPLATE_EXAMPLE_ROW, TEMPLATE_HELP_SHEET, writeTemplateXlsx } from './template';

describe('writeTemplateXlsx', () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jrp-template-'));
    path = join(dir, '名单导入模板.xlsx');
    const out = createWriteStream(path);
    await writeTemplateXlsx(out);
    expect(out.writableFinished).toBe(true);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a valid example subject', () => {
    expect(isValidUscc(TEMPLATE_EXAMPLE_ROW.uscc)).toBe(true);
    expect(TEMPLATE_EXAMPLE_ROW.uscc.startsWith('91340100MA2N00004')).toBe(true);
    expect(isValidIdNumber(TEMPLATE_EXAMPLE_ROW.legalRepresentativeIdNumber)).toBe(true);
  });

  it('round-trips through readImportRows: headers match, the example row reads back', async () => {
    const rows = [];
    for await (const r of readImportRows(path, 'xlsx')) rows.push(r);
    expect(rows).toHaveLength(1);
    expect(rows[0].row).toBe(2);
    const expected = Object.fromEntries(Object.entries(TEMPLATE_EXAMPLE_ROW).filter(([, v]) => v !== ''));
    expect(rows[0].values).toEqual(expected);
  });

  it('lays out the data sheet: bold frozen header, widths, text-formatted ID columns, drop-downs', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual([TEMPLATE_DATA_SHEET, TEMPLATE_HELP_SHEET]);
    const ws = wb.getWorksheet(TEMPLATE_DATA_SHEET)!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = ws.getRow(1);
    IMPORT_COLUMNS.forEach((c, i) => {
      expect(header.getCell(i + 1).value).toBe(c.header);
      expect(header.getCell(i + 1).font?.bold).toBe(true);
      expect(ws.getColumn(i + 1).width).toBeGreaterThanOrEqual(10);
    });
    for (const key of ['uscc', 'idNumber', 'legalRepresentativeIdNumber', 'region'] as const) {
      const col = IMPORT_COLUMNS.findIndex((c) => c.key === key) + 1;
      expect(ws.getColumn(col).numFmt).toBe('@');
      expect(ws.getCell(500, col).numFmt).toBe('@'); // an empty cell far below inherits the column's text format
    }
    const kindCol = ws.getColumn(IMPORT_COLUMNS.findIndex((c) => c.key === 'subjectKind') + 1).letter;
    expect(ws.getCell(`${kindCol}2`).dataValidation).toMatchObject({ type: 'list', formulae: ['"法人,自然人"'] });
    expect(ws.getCell(`${kindCol}5000`).dataValidation).toMatchObject({ type: 'list' });
  });

  it('explains every column and the allowed values on 填写说明', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const help = wb.getWorksheet(TEMPLATE_HELP_SHEET)!;
    const text = (help.getSheetValues() as unknown[][])
      .flat()
      .filter((v) => typeof v === 'string')
      .join('\n');
    for (const c of IMPORT_COLUMNS) expect(text).toContain(c.header);
    for (const v of [
      '法人 / 自然人',
      '居民身份证',
      '港澳居民来往内地通行证',
      '台湾居民来往大陆通行证',
      '外国人永久居留身份证',
      '护照',
      '国家级 / 省级 / 市级',
      'YYYY-MM-DD',
      '6 位数字',
    ]) {
      expect(text).toContain(v);
    }
  });

  it('writes to any writable stream (an HTTP response)', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeTemplateXlsx(out);
    const bytes = Buffer.concat(chunks);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.getWorksheet(TEMPLATE_DATA_SHEET)!.getCell('C2').value).toBe('安徽示例建设有限公司');
  });
});
