import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { IMPORT_COLUMNS } from './columns';
import { csvField } from '@jrp/http';
import { createErrorCsvWriter, ERROR_CSV_HEADERS, errorRowsCsv, type ErrorRow } from './errors-csv';
import { readImportRows } from './read-rows';

const rows: ErrorRow[] = [
  {
    row: 2,
    values: {
      listType: '失信被执行人名单',
      subjectName: '安徽"示例",建设\n有限公司',
      uscc: '=HYPERLINK("http://evil","点我")',
      listedAt: '2026-13-01',
    },
    reasons: ['统一社会信用代码校验位错误', '列入日期不是有效日期'],
  },
  {
    row: 7,
    values: { subjectName: '@SUM(1+1)', reason: '+1', decidedBy: '-2', region: '340100' },
    reasons: ['缺少必填项：名单类型'],
  },
];

describe('error rows CSV', () => {
  it('starts with the UTF-8 BOM, then 行号 + the template headers + 错误原因', () => {
    const csv = errorRowsCsv(rows);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const firstLine = csv.toString('utf8').slice(1).split('\r\n')[0];
    expect(firstLine).toBe(['行号', ...IMPORT_COLUMNS.map((c) => c.header), '错误原因'].join(','));
    expect(ERROR_CSV_HEADERS).toHaveLength(19);
  });

  it('quotes commas, quotes and line breaks, joins reasons with ；, defuses formulas', () => {
    const records: string[][] = parse(errorRowsCsv(rows), { bom: true });
    expect(records).toHaveLength(3);
    const at = (record: string[], header: string) => record[ERROR_CSV_HEADERS.indexOf(header)];
    expect(at(records[1], '行号')).toBe('2');
    expect(at(records[1], '主体名称')).toBe('安徽"示例",建设\n有限公司');
    expect(at(records[1], '统一社会信用代码')).toBe(`'=HYPERLINK("http://evil","点我")`);
    expect(at(records[1], '错误原因')).toBe('统一社会信用代码校验位错误；列入日期不是有效日期');
    expect(at(records[1], '主体类别')).toBe('');
    expect(at(records[2], '主体名称')).toBe("'@SUM(1+1)");
    expect(at(records[2], '列入事由')).toBe("'+1");
    expect(at(records[2], '认定部门')).toBe("'-2");
    expect(at(records[2], '行政区划')).toBe('340100');
  });

  it('escapes single fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvField(undefined)).toBe('');
  });

  it('streams the same bytes row by row, and the result reads back as an import file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrp-errors-'));
    try {
      const path = join(dir, 'errors.csv');
      const writer = createErrorCsvWriter(createWriteStream(path));
      for (const r of rows) await writer.write(r);
      await writer.end();
      expect(writer.count).toBe(2);
      expect(readFileSync(path).equals(errorRowsCsv(rows))).toBe(true);

      // the uploader fixes the rows in Excel and uploads the file again: the extra columns are ignored
      const back = [];
      for await (const r of readImportRows(path, 'csv')) back.push(r);
      expect(back.map((r) => r.values.subjectName)).toEqual(['安徽"示例",建设\n有限公司', "'@SUM(1+1)"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes just the header for no rows', () => {
    expect(errorRowsCsv([]).toString('utf8')).toBe(`\ufeff${ERROR_CSV_HEADERS.join(',')}\r\n`);
  });
});
