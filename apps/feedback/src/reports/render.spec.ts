import ExcelJS from 'exceljs';
import { formatOf } from './report-format';
import { tableToCsv } from './render-csv';
import { tableToXlsx } from './render-xlsx';
import { ReportTable } from './report-table';

const table: ReportTable = {
  title: '测试报表',
  name: '测试报表',
  period: { from: '2026-01-01', to: null },
  generatedAt: new Date('2026-11-30T01:02:03Z'),
  columns: [
    { key: 'name', header: '实施部门', kind: 'text' },
    { key: 'due', header: '应反馈', kind: 'count' },
    { key: 'rate', header: '反馈率', kind: 'rate' },
  ],
  rows: [
    { name: '省财政厅, "办公室"', due: 3, rate: 0.6667 },
    { name: '省税务局', due: 0, rate: null },
  ],
  totals: { due: 3, rate: 0.6667 },
};

describe('report renderings', () => {
  it('writes CSV with a BOM, the title, period and time lines, quoted cells and percentages', () => {
    const text = tableToCsv(table).toString('utf8');
    expect(text.split('\r\n')).toEqual([
      '\uFEFF测试报表',
      '统计期间：2026-01-01 至 不限',
      '生成时间：2026-11-30 09:02:03',
      '实施部门,应反馈,反馈率',
      '"省财政厅, ""办公室""",3,66.67%',
      '省税务局,0,',
      '合计,3,66.67%',
      '',
    ]);
  });

  it('never writes a CSV cell a spreadsheet would run as a formula', () => {
    const names = ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tcmd'];
    const hostile: ReportTable = {
      ...table,
      rows: names.map((name) => ({ name, due: 1, rate: 1 })),
      totals: undefined,
    };
    const cells = tableToCsv(hostile)
      .toString('utf8')
      .split('\r\n')
      .slice(4, 4 + names.length);
    expect(cells).toEqual([
      `"'=HYPERLINK(""http://x"")",1,100.00%`,
      "'+1,1,100.00%",
      "'-2+3,1,100.00%",
      "'@SUM(A1),1,100.00%",
      "'\tcmd,1,100.00%",
    ]);
  });

  it('never writes an XLSX text cell a spreadsheet would run as a formula', async () => {
    const names = ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '省财政厅'];
    const hostile: ReportTable = { ...table, rows: names.map((name) => ({ name, due: -1, rate: 1 })) };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await tableToXlsx(hostile)) as never);
    const sheet = book.worksheets[0];
    expect(names.map((_, i) => sheet.getCell(5 + i, 1).value)).toEqual([
      `'=HYPERLINK("http://x")`,
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tcmd",
      '省财政厅',
    ]);
    expect(sheet.getCell(5, 2).value).toBe(-1); // a number stays a number
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.formula).toBeUndefined()));
  });

  it('writes XLSX with numbers as numbers and rates as percentages', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await tableToXlsx(table)) as never);
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('测试报表');
    expect(sheet.getRow(4).values).toEqual([undefined, '实施部门', '应反馈', '反馈率']);
    expect(sheet.getCell('B5').value).toBe(3);
    expect(sheet.getCell('C5').value).toBe(0.6667);
    expect(sheet.getCell('C5').numFmt).toBe('0.00%');
    expect(sheet.getCell('C6').value).toBeNull();
    expect(sheet.getCell('A7').value).toBe('合计');
  });

  it('takes the format from the query, else the Accept header, else JSON', () => {
    expect(formatOf('csv', 'application/json')).toBe('csv');
    expect(formatOf(undefined, 'text/csv;q=0.9, */*')).toBe('csv');
    expect(formatOf(undefined, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('xlsx');
    expect(formatOf(undefined, '*/*')).toBe('json');
    expect(() => formatOf('pdf', undefined)).toThrow();
  });
});
