import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createCsvWriter, csvField, csvLine, formulaSafe, toCsv } from './csv-field';

describe("jrp's CSV writer", () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+86 138', "'+86 138"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['a=1', 'a=1'],
    ['安徽', '安徽'],
    ['', ''],
  ])('formulaSafe(%j) = %j', (text, safe) => expect(formulaSafe(text)).toBe(safe));

  it('quotes as RFC 4180 says, after defusing formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvField(12)).toBe('12');
    expect(csvField(-3)).toBe("'-3");
    expect(csvField(null)).toBe('');
    expect(csvLine(['a', undefined, 'b'])).toBe('a,,b\r\n');
  });

  it('writes BOM, preamble, header and rows, and reads back cell for cell', () => {
    const csv = toCsv(
      ['名称', '数量'],
      [
        ['=cmd|"/c calc"!A1', 1],
        ['省财政厅, "办公室"', null],
      ],
      {
        preamble: [['标题'], ['统计期间']],
      },
    );
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8').endsWith('\r\n')).toBe(true);
    const records: string[][] = parse(csv, { bom: true, relaxColumnCount: true });
    expect(records).toEqual([
      ['标题'],
      ['统计期间'],
      ['名称', '数量'],
      [`'=cmd|"/c calc"!A1`, '1'],
      ['省财政厅, "办公室"', ''],
    ]);
  });

  it('streams the same bytes row by row, and just the head for no rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrp-csv-'));
    try {
      const rows = [
        ['a', 1],
        ['@b', 2],
      ];
      const path = join(dir, 'out.csv');
      const writer = createCsvWriter(createWriteStream(path), ['x', 'y'], { preamble: [['t']] });
      for (const row of rows) await writer.write(row);
      await writer.end();
      expect(writer.count).toBe(2);
      expect(readFileSync(path).equals(toCsv(['x', 'y'], rows, { preamble: [['t']] }))).toBe(true);
      const empty = join(dir, 'empty.csv');
      const none = createCsvWriter(createWriteStream(empty), ['x', 'y']);
      await none.end();
      expect(readFileSync(empty, 'utf8')).toBe('\ufeffx,y\r\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
