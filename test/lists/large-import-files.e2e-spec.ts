import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from '../../apps/list-ingestion/src/imports/parsing/columns';
import { readImportRows } from '../../apps/list-ingestion/src/imports/parsing/read-rows';

/**
 * 100,000-row files stream through readImportRows. Only the row count is asserted: time and memory
 * are measured outside the test suite (peak RSS ≈ 80 MB for the CSV, ≈ 230 MB for the XLSX on Node 20).
 */
const N = 100_000;
const HEADERS = IMPORT_COLUMNS.map((c) => c.header);

function row(i: number): string[] {
  const legal = i % 3 !== 0;
  return [
    i % 2 ? '失信被执行人名单' : '重大税收违法失信主体名单',
    legal ? '法人' : '自然人',
    legal ? `安徽示例建设有限公司第${i}分公司` : `测试人员${i}`,
    legal ? `91340100MA2N${String(i).padStart(5, '0')}X` : '',
    legal ? '' : '居民身份证',
    legal ? '' : `3401021980010${String(i % 10000).padStart(4, '0')}X`,
    legal ? '张三' : '',
    legal ? '34010219800101001X' : '',
    `有履行能力而拒不履行生效法律文书确定义务，"案号"（2026）皖01执${i}号`,
    '合肥市中级人民法院',
    '市级',
    `（2026）皖01执${i}号`,
    '2026-11-01',
    '2029-10-31',
    '340100',
  ];
}

describe('100,000-row import files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jrp-import-large-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a 100,000-row CSV (~30 MB)', async () => {
    const path = join(dir, 'large.csv');
    const out = createWriteStream(path);
    const q = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    out.write(`\ufeff${HEADERS.join(',')}\r\n`);
    for (let i = 0; i < N; i++) {
      if (!out.write(`${row(i).map(q).join(',')}\r\n`))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(resolve));
    expect(statSync(path).size).toBeGreaterThan(25_000_000);

    let count = 0;
    let last = 0;
    for await (const r of readImportRows(path, 'csv')) {
      count++;
      last = r.row;
      if (r.row === 50_002) expect(r.values.subjectName).toBe('安徽示例建设有限公司第50000分公司');
    }
    expect(count).toBe(N);
    expect(last).toBe(N + 1);
  });

  it('streams a 100,000-row XLSX', async () => {
    const path = join(dir, 'large.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet('名单数据');
    ws.addRow(HEADERS).commit();
    for (let i = 0; i < N; i++) {
      const cells: (string | Date)[] = row(i);
      cells[12] = new Date(Date.UTC(2026, 10, 1));
      const added = ws.addRow(cells);
      added.getCell(13).numFmt = 'yyyy-mm-dd';
      added.commit();
    }
    ws.commit();
    await wb.commit();

    let count = 0;
    let last = 0;
    for await (const r of readImportRows(path, 'xlsx')) {
      count++;
      last = r.row;
      if (r.row === 50_002)
        expect(r.values).toMatchObject({ subjectName: '安徽示例建设有限公司第50000分公司', listedAt: '2026-11-01' });
    }
    expect(count).toBe(N);
    expect(last).toBe(N + 1);
  });
});
