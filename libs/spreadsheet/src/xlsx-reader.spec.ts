import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import * as ExcelJS from 'exceljs';
import { SpreadsheetError } from './limits';
import { readFirstSheetRows, XlsxWorkbook } from './xlsx-reader';
import { ZipReader } from './zip-reader';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jrp-xlsx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function onDisk(bytes: Buffer): string {
  const path = join(dir, `w${++n}.xlsx`);
  writeFileSync(path, bytes);
  return path;
}

/** The parts of a workbook, as bytes, in stored order. */
async function partsOf(bytes: Buffer): Promise<[string, Buffer][]> {
  const zip = await ZipReader.fromBuffer(bytes);
  const out: [string, Buffer][] = [];
  try {
    for (const name of zip.names()) {
      let text = '';
      for await (const chunk of await zip.openText(zip.entry(name)!)) text += chunk as string;
      out.push([name, Buffer.from(text, 'utf8')]);
    }
  } finally {
    await zip.close();
  }
  return out;
}

/** A zip of `entries` (deflated); `declared` overrides an entry's recorded uncompressed size (a lying archive). */
function zipOf(entries: [string, Buffer][], declared: Record<string, number> = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const packed = deflateRawSync(data, { level: 9 });
    const size = declared[name] ?? data.length;
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A one-sheet workbook whose worksheet part is replaced by `sheetXml` (other parts as exceljs writes them). */
async function withSheet(sheetXml: Buffer, declared?: number): Promise<Buffer> {
  const base = await workbook((wb) => wb.addWorksheet('名单').addRow(['甲']));
  const parts = (await partsOf(base)).map(([name, data]): [string, Buffer] => [
    name,
    name === 'xl/worksheets/sheet1.xml' ? sheetXml : data,
  ]);
  return zipOf(parts, declared === undefined ? {} : { 'xl/worksheets/sheet1.xml': declared });
}

const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';
const sheetOf = (rows: string) => Buffer.from(SHEET_HEAD + rows + SHEET_TAIL, 'utf8');

/** `count` rows of one inline string each: deflate packs them about 1,000 to 1. */
const sameRows = (count: number) =>
  Buffer.from(SHEET_HEAD + '<row><c t="inlineStr"><is><t>同一行</t></is></c></row>'.repeat(count) + SHEET_TAIL, 'utf8');

async function all(rows: AsyncIterable<{ row: number; cells: string[] }>) {
  const out: { row: number; cells: string[] }[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function failure(work: () => Promise<unknown>): Promise<SpreadsheetError> {
  try {
    await work();
  } catch (err) {
    if (err instanceof SpreadsheetError) return err;
    throw err;
  }
  throw new Error('expected a SpreadsheetError');
}

describe('XlsxWorkbook', () => {
  const catalogue = () =>
    workbook((wb) => {
      wb.addWorksheet('说明', { state: 'hidden' }).addRow(['隐藏']);
      wb.addWorksheet('备忘录').addRows([
        ['编码', '名称'],
        ['M01', '关于对失信被执行人实施联合惩戒的合作备忘录'],
      ]);
      const measures = wb.addWorksheet('措施');
      measures.addRow(['编码', '措施内容']);
      measures.addRow(['M01-01', { richText: [{ text: '限制' }, { text: '乘坐飞机' }] }]);
      measures.getCell('D3').value = 42;
    });

  it('lists the worksheets in tab order and reads any by name, hidden or not, from a file or a buffer', async () => {
    const bytes = await catalogue();
    for (const wb of [await XlsxWorkbook.fromBuffer(bytes), await XlsxWorkbook.open(onDisk(bytes))]) {
      try {
        expect(wb.worksheets()).toEqual([
          { name: '说明', hidden: true },
          { name: '备忘录', hidden: false },
          { name: '措施', hidden: false },
        ]);
        expect(await all(wb.rows('措施'))).toEqual([
          { row: 1, cells: ['编码', '措施内容'] },
          { row: 2, cells: ['M01-01', '限制乘坐飞机'] },
          { row: 3, cells: ['', '', '', '42'] },
        ]);
        expect((await all(wb.rows()))[1].cells[0]).toBe('M01'); // the first visible one
        expect(await all(wb.rows('说明'))).toEqual([{ row: 1, cells: ['隐藏'] }]);
        const missing = await failure(() => all(wb.rows('名单类型')));
        expect([missing.code, missing.message]).toEqual(['INVALID_FILE', '缺少工作表：名单类型']);
      } finally {
        await wb.close();
      }
    }
  });

  it('refuses a worksheet that inflates far beyond its compressed size (a zip bomb), whatever size it declares', async () => {
    const bomb = sameRows(200_000); // ~11 MB of XML in ~20 KB
    const honest = await withSheet(bomb);
    expect(honest.length).toBeLessThan(100 * 1024);
    const lying = await withSheet(bomb, 1000); // declares 1,000 bytes: caught while inflating
    for (const bytes of [honest, lying]) {
      const wb = await XlsxWorkbook.fromBuffer(bytes);
      try {
        const error = await failure(() => all(wb.rows()));
        expect(error.code).toBe('TOO_LARGE');
        expect(error.message).toBe('文件压缩比异常（解压后体积远超文件本身，疑似压缩炸弹），无法导入');
      } finally {
        await wb.close();
      }
    }
  });

  it('refuses a worksheet past its inflated size, declared or actual', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `<row><c t="inlineStr"><is><t>第${i}行</t></is></c></row>`);
    const sheet = sheetOf(rows.join(''));
    for (const bytes of [await withSheet(sheet), await withSheet(sheet, 10)]) {
      const wb = await XlsxWorkbook.fromBuffer(bytes, { maxWorksheetBytes: 64 * 1024 });
      try {
        const error = await failure(() => all(wb.rows()));
        expect([error.code, error.message]).toEqual(['TOO_LARGE', '文件内容过大（解压后超过上限），无法导入']);
      } finally {
        await wb.close();
      }
    }
    const wide = await XlsxWorkbook.fromBuffer(await withSheet(sheet));
    expect(await all(wide.rows())).toHaveLength(3000);
    await wide.close();
  });

  it('refuses shared strings that are a zip bomb when the workbook is opened', async () => {
    const base = await workbook((wb) => wb.addWorksheet('名单').addRow(['甲']));
    const strings = Buffer.from(
      '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
        '<si><t>甲</t></si>'.repeat(300_000) +
        '</sst>',
    );
    const parts = (await partsOf(base)).map(([name, data]): [string, Buffer] => [
      name,
      name === 'xl/sharedStrings.xml' ? strings : data,
    ]);
    expect(parts.some(([name]) => name === 'xl/sharedStrings.xml')).toBe(true);
    const error = await failure(() => XlsxWorkbook.fromBuffer(zipOf(parts)));
    expect(error.code).toBe('TOO_LARGE');
  });

  it('refuses rows and columns past the limits, and reads up to them', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`);
    const tall = await withSheet(sheetOf(rows.join('')));
    const seen: number[] = [];
    const wb = await XlsxWorkbook.fromBuffer(tall, { maxRows: 10 });
    const error = await failure(async () => {
      for await (const r of wb.rows()) seen.push(r.row);
    });
    await wb.close();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(error.message).toBe('工作表「名单」超过 10 行，无法导入');

    const far = await withSheet(sheetOf('<row r="1048577"><c r="A1048577"><v>1</v></c></row>'));
    const farError = await failure(async () => all(readFirstSheetRows(onDisk(far))));
    expect(farError.message).toBe('工作表「名单」超过 1048576 行，无法导入');

    const wide = await withSheet(sheetOf('<row r="1"><c r="A1"><v>1</v></c><c r="AD1"><v>2</v></c></row>'));
    const wideError = await failure(async () => all(readFirstSheetRows(onDisk(wide), { maxColumns: 20 })));
    expect(wideError.message).toBe('工作表「名单」第 1 行超过 20 列，无法导入');
    const [row] = await all(readFirstSheetRows(onDisk(wide)));
    expect(row.cells).toHaveLength(30);
    expect(row.cells[29]).toBe('2');
  });

  it('refuses what is not a workbook, and lets a missing file through as an I/O error', async () => {
    const error = await failure(() => XlsxWorkbook.fromBuffer(Buffer.from('PK not really')));
    expect([error.code, error.message]).toEqual([
      'INVALID_FILE',
      '文件不是有效的 XLSX（可用 Excel 或 WPS 打开后另存为 .xlsx 再上传）',
    ]);
    await expect(XlsxWorkbook.open(join(dir, 'gone.xlsx'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
