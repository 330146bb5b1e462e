import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { IMPORT_COLUMNS, type RawImportRow } from './columns';
import { cellText, detectFormat, ImportFileError, looksBinary, plainNumber, readImportRows } from './read-rows';
import { ZipReader } from '@jrp/spreadsheet';

const HEADERS = IMPORT_COLUMNS.map((c) => c.header);
const ROW_A = [
  '失信被执行人名单',
  '法人',
  '安徽示例建设有限公司',
  '91340100MA2N000041',
  '',
  '',
  '张三',
  '34010219800101001X',
  '有履行能力而拒不履行生效法律文书确定义务',
  '合肥市中级人民法院',
  '市级',
  '（2026）皖01执123号',
  '2026-11-01',
  '2029-10-31',
  '340100',
];
const ROW_B = [
  '重大税收违法失信主体名单',
  '自然人',
  '李四',
  '',
  '居民身份证',
  '340102198001010029',
  '',
  '',
  '逃避追缴欠税',
  '国家税务总局合肥市税务局',
  '市级',
  '合税稽罚〔2026〕8号',
  '2026-10-08',
  '',
  '340102',
];

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jrp-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(content: string | Buffer, ext = 'csv'): string {
  const path = join(dir, `f${++n}.${ext}`);
  writeFileSync(path, content);
  return path;
}

const csvLine = (cells: string[]) =>
  cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

async function readAll(path: string, format: 'csv' | 'xlsx'): Promise<RawImportRow[]> {
  const rows: RawImportRow[] = [];
  for await (const r of readImportRows(path, format)) rows.push(r);
  return rows;
}

async function readError(path: string, format: 'csv' | 'xlsx'): Promise<ImportFileError> {
  try {
    await readAll(path, format);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return err as ImportFileError;
  }
  throw new Error('expected an ImportFileError');
}

function expectRowA(r: RawImportRow): void {
  expect(r.values).toEqual({
    listType: '失信被执行人名单',
    subjectKind: '法人',
    subjectName: '安徽示例建设有限公司',
    uscc: '91340100MA2N000041',
    legalRepresentative: '张三',
    legalRepresentativeIdNumber: '34010219800101001X',
    reason: '有履行能力而拒不履行生效法律文书确定义务',
    decidedBy: '合肥市中级人民法院',
    identificationLevel: '市级',
    documentNo: '（2026）皖01执123号',
    listedAt: '2026-11-01',
    validUntil: '2029-10-31',
    region: '340100',
  });
}

describe('readImportRows: CSV', () => {
  const body = [HEADERS, ROW_A, ROW_B].map(csvLine).join('\n') + '\n';

  it('reads a UTF-8 CSV; row numbers as a spreadsheet shows them; blank cells left out', async () => {
    const rows = await readAll(file(body), 'csv');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expectRowA(rows[0]);
    expect(rows[1].values.idNumber).toBe('340102198001010029');
    expect('validUntil' in rows[1].values).toBe(false);
  });

  it('reads a UTF-8 CSV with BOM and CRLF (Excel "CSV UTF-8")', async () => {
    const rows = await readAll(file('\ufeff' + body.replace(/\n/g, '\r\n')), 'csv');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expectRowA(rows[0]);
  });

  it('reads a GB18030 CSV (Excel "CSV (逗号分隔)" on Chinese Windows) across the 64 KB sample', async () => {
    const lines = [csvLine(HEADERS)];
    for (let i = 0; i < 1500; i++)
      lines.push(csvLine(ROW_A.map((c, j) => (j === 2 ? `安徽示例建设有限公司第${i}分公司` : c))));
    const bytes = iconv.encode(lines.join('\r\n') + '\r\n', 'gb18030');
    expect(bytes.length).toBeGreaterThan(128 * 1024);
    const rows = await readAll(file(bytes), 'csv');
    expect(rows).toHaveLength(1500);
    expect(rows[0].row).toBe(2);
    expect(rows[1499]).toMatchObject({
      row: 1501,
      values: { subjectName: '安徽示例建设有限公司第1499分公司', reason: ROW_A[8] },
    });
  });

  it('handles quoted fields with commas, quotes and line breaks; the record stays one row', async () => {
    const reason = '拒不履行，且\n转移财产，金额 1,000,000 元；称"无力履行"';
    const csv = [csvLine(HEADERS), csvLine(ROW_A.map((c, i) => (i === 8 ? reason : c))), csvLine(ROW_B)].join('\n');
    const rows = await readAll(file(csv), 'csv');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expect(rows[0].values.reason).toBe(reason);
    expect(rows[1].values.subjectName).toBe('李四');
  });

  it('skips blank lines and comma-only lines but keeps counting them, trims cells', async () => {
    const csv = [
      '',
      csvLine(HEADERS),
      '',
      csvLine(ROW_A.map((c) => ` ${c}\u3000`)),
      ',,,,,',
      '   ',
      csvLine(ROW_B),
      '',
      '',
    ].join('\n');
    const rows = await readAll(file(csv), 'csv');
    expect(rows.map((r) => r.row)).toEqual([4, 7]);
    expectRowA(rows[0]);
  });

  it('accepts reordered columns, decorated headers, and ignores extra columns', async () => {
    const order = [14, 2, 0, 1, 8, 9, 10, 11, 12, 3];
    const header = ['序号', ...order.map((i) => (i === 12 ? ' 列入日期（YYYY-MM-DD） ' : HEADERS[i])), '备注'];
    const row = ['1', ...order.map((i) => ROW_A[i]), '内部备注，不导入'];
    const rows = await readAll(file([csvLine(header), csvLine(row)].join('\n')), 'csv');
    expect(rows).toEqual([
      {
        row: 2,
        values: {
          region: '340100',
          subjectName: '安徽示例建设有限公司',
          listType: '失信被执行人名单',
          subjectKind: '法人',
          reason: ROW_A[8],
          decidedBy: '合肥市中级人民法院',
          identificationLevel: '市级',
          documentNo: '（2026）皖01执123号',
          listedAt: '2026-11-01',
          uscc: '91340100MA2N000041',
        },
      },
    ]);
  });

  it('finds the header below a title row', async () => {
    const csv = ['附件1：失信被执行人名单导入表,,,', csvLine(HEADERS), csvLine(ROW_A)].join('\n');
    const rows = await readAll(file(csv), 'csv');
    expect(rows).toHaveLength(1);
    expect(rows[0].row).toBe(3);
  });

  it('refuses a file missing required headers, naming them in Chinese', async () => {
    const header = HEADERS.filter((h) => h !== '名单类型' && h !== '列入日期');
    const err = await readError(file([csvLine(header), csvLine(ROW_A.slice(1))].join('\n')), 'csv');
    expect(err.message).toBe('缺少必填列：名单类型、列入日期');
    expect(err.code).toBe('MISSING_COLUMNS');
    expect(err.headers).toEqual(['名单类型', '列入日期']);
  });

  it('refuses a header-less file as missing every required column, and an empty file', async () => {
    const noHeader = await readError(file([ROW_A, ROW_B].map(csvLine).join('\n')), 'csv');
    expect(noHeader.message).toBe(
      '缺少必填列：名单类型、主体类别、主体名称、列入事由、认定部门、认定级别、认定文号、列入日期、行政区划',
    );
    const empty = await readError(file('\ufeff\r\n\r\n'), 'csv');
    expect(empty.code).toBe('NO_HEADER');
  });

  it('refuses a column given twice', async () => {
    const err = await readError(file(csvLine([...HEADERS, '主体名称'])), 'csv');
    expect(err.message).toBe('列重复：主体名称（每列只能出现一次）');
  });

  it('refuses an unclosed quote, UTF-16 text and binary content', async () => {
    const broken = await readError(
      file([csvLine(HEADERS), csvLine(ROW_A), '"未闭合,' + ROW_B.join(',')].join('\n')),
      'csv',
    );
    expect(broken.code).toBe('MALFORMED_CSV');
    expect(broken.message).toBe('CSV 格式错误：第 3 行的引号没有闭合');
    const utf16 = await readError(
      file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csvLine(HEADERS), 'utf16le')])),
      'csv',
    );
    expect(utf16.code).toBe('UNSUPPORTED_ENCODING');
    const binary = await readError(file(Buffer.from([1, 2, 0, 4, 5])), 'csv');
    expect(binary.message).toContain('文件不是有效的 CSV');
    expect(looksBinary(Buffer.from([1, 2, 0, 4, 5]))).toBe(true);
    expect(looksBinary(Buffer.concat([Buffer.from('名单类型,主体名称\r\n'.repeat(20)), Buffer.from([0])]))).toBe(false); // a stray NUL: a row's error
    expect(looksBinary(Buffer.from('a\u0000b\u0000', 'utf16le'))).toBe(true);
  });

  it('lets the consumer stop early', async () => {
    const path = file([HEADERS, ...Array.from({ length: 5000 }, () => ROW_A)].map(csvLine).join('\n'));
    let count = 0;
    for await (const r of readImportRows(path, 'csv')) {
      if (++count === 10) break;
      expect(r.row).toBe(count + 1);
    }
    expect(count).toBe(10);
  });

  it('lets I/O errors through', async () => {
    await expect(readAll(join(dir, 'absent.csv'), 'csv')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readAll(join(dir, 'absent.xlsx'), 'xlsx')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readImportRows: XLSX', () => {
  async function workbookFile(build: (wb: ExcelJS.Workbook) => void): Promise<string> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    const path = join(dir, `w${++n}.xlsx`);
    await wb.xlsx.writeFile(path);
    return path;
  }

  it('converts dates, numbers, rich text, formulas and hyperlinks to text', async () => {
    const path = await workbookFile((wb) => {
      const ws = wb.addWorksheet('名单');
      ws.addRow(['序号', ...HEADERS]);
      const row = ws.addRow(['1', ...ROW_A]);
      const cell = (key: string) => row.getCell(IMPORT_COLUMNS.findIndex((c) => c.key === key) + 2);
      cell('subjectName').value = { richText: [{ text: '安徽示例', font: { bold: true } }, { text: '建设有限公司' }] };
      cell('listedAt').value = new Date(Date.UTC(2026, 10, 1));
      cell('listedAt').numFmt = 'yyyy"年"m"月"d"日"';
      cell('validUntil').value = { formula: 'DATE(2029,10,31)', result: new Date(Date.UTC(2029, 9, 31)) };
      cell('validUntil').numFmt = 'yyyy-mm-dd';
      cell('region').value = 340100;
      // eslint-disable-next-line no-loss-of-precision -- on purpose: an ID typed as a number, as Excel stores it
      cell('idNumber').value = 340104199001011234; // typed as a number: Excel keeps 15 digits
      cell('decidedBy').value = { text: '合肥市中级人民法院', hyperlink: 'https://www.hfzy.gov.cn/' };
      cell('documentNo').value = { formula: '"（2026）皖01执"&"123号"', result: '（2026）皖01执123号' };
      cell('legalRepresentative').value = '  张三\u3000';
      ws.addRow([]);
      ws.addRow(['', ...ROW_B]);
      ws.getRow(5).getCell(3).value = '';
    });
    const rows = await readAll(path, 'xlsx');
    expect(rows.map((r) => r.row)).toEqual([2, 4]);
    expect(rows[0].values).toEqual({
      listType: '失信被执行人名单',
      subjectKind: '法人',
      subjectName: '安徽示例建设有限公司',
      uscc: '91340100MA2N000041',
      idNumber: '340104199001011000',
      legalRepresentative: '张三',
      legalRepresentativeIdNumber: '34010219800101001X',
      reason: ROW_A[8],
      decidedBy: '合肥市中级人民法院',
      identificationLevel: '市级',
      documentNo: '（2026）皖01执123号',
      listedAt: '2026-11-01',
      validUntil: '2029-10-31',
      region: '340100',
    });
    expect(rows[1].values.subjectName).toBe('李四');
  });

  it('reads the first visible worksheet only', async () => {
    const path = await workbookFile((wb) => {
      const hidden = wb.addWorksheet('字典', { state: 'hidden' });
      hidden.addRow(HEADERS);
      hidden.addRow(ROW_B);
      const data = wb.addWorksheet('名单数据');
      data.addRow(HEADERS);
      data.addRow(ROW_A);
      const other = wb.addWorksheet('另一页');
      other.addRow(HEADERS);
      other.addRow(ROW_B);
    });
    const rows = await readAll(path, 'xlsx');
    expect(rows).toHaveLength(1);
    expectRowA(rows[0]);
  });

  it('reads a zip64 workbook', async () => {
    const path = join(dir, `z64-${++n}.xlsx`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: path,
      useSharedStrings: true,
      useStyles: true,
      zip: { forceZip64: true },
    });
    const ws = wb.addWorksheet('名单');
    ws.addRow(HEADERS).commit();
    ws.addRow(ROW_A).commit();
    ws.commit();
    await wb.commit();
    const rows = await readAll(path, 'xlsx');
    expect(rows).toHaveLength(1);
    expectRowA(rows[0]);
  });

  it('releases the file when the consumer stops early', async () => {
    const path = await workbookFile((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(HEADERS);
      for (let i = 0; i < 3000; i++) ws.addRow(ROW_A);
    });
    const csvPath = file([HEADERS, ...Array.from({ length: 3000 }, () => ROW_A)].map(csvLine).join('\n'));
    const fds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
    const before = fds();
    for (const [p, format] of [
      [path, 'xlsx'],
      [csvPath, 'csv'],
    ] as const) {
      let count = 0;
      for await (const _ of readImportRows(p, format)) if (++count === 10) break;
      expect(count).toBe(10);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fds()).toBe(before);
  });

  it('refuses a missing header and a damaged file', async () => {
    const missing = await workbookFile((wb) => wb.addWorksheet('S').addRow(HEADERS.slice(1)));
    expect((await readError(missing, 'xlsx')).message).toBe('缺少必填列：名单类型');

    const good = await workbookFile((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(HEADERS);
      for (let i = 0; i < 200; i++) ws.addRow(ROW_A);
    });
    const bytes = readFileSync(good);
    expect((await readError(file(bytes.subarray(0, Math.floor(bytes.length / 2)), 'xlsx'), 'xlsx')).code).toBe(
      'INVALID_FILE',
    );
    expect((await readError(file('名单类型,主体类别\n', 'xlsx'), 'xlsx')).message).toMatch(/^文件不是有效的 XLSX/);
  });
});

describe('readImportRows: XLSX as other producers write it', () => {
  /** Entries of an xlsx as text (all parts exceljs writes are XML). */
  async function parts(path: string): Promise<Map<string, string>> {
    const zip = await ZipReader.open(path);
    const out = new Map<string, string>();
    try {
      for (const name of zip.names()) {
        const entry = zip.entry(name)!;
        if (name.endsWith('/')) continue;
        let text = '';
        for await (const chunk of await zip.openText(entry)) text += chunk;
        out.set(name, text);
      }
    } finally {
      await zip.close();
    }
    return out;
  }

  /** A minimal zip writer (deflate, entries in the order given, data descriptors not used). */
  function zipOf(entries: [string, string][]): Buffer {
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const [name, text] of entries) {
      const data = Buffer.from(text, 'utf8');
      const packed = deflateRawSync(data);
      const nameBytes = Buffer.from(name, 'utf8');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x800, 6);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(crc32(data), 14);
      local.writeUInt32LE(packed.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(nameBytes.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(0x800, 8);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(crc32(data), 16);
      central.writeUInt32LE(packed.length, 20);
      central.writeUInt32LE(data.length, 24);
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

  async function sample(): Promise<Map<string, string>> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(HEADERS);
    const row = ws.addRow(ROW_A);
    row.getCell(13).value = new Date(Date.UTC(2026, 10, 1));
    row.getCell(13).numFmt = 'yyyy-mm-dd';
    ws.addRow(ROW_B);
    const path = join(dir, `p${++n}.xlsx`);
    await wb.xlsx.writeFile(path);
    return parts(path);
  }

  it('keeps Chinese text whole across stream chunk boundaries (exceljs issue #2063)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(HEADERS);
    for (let i = 0; i < 20000; i++) {
      ws.addRow(
        ROW_A.map((c, j) =>
          j === 2
            ? `安徽示例建设有限公司第${i}分公司`
            : j === 8
              ? { richText: [{ text: '拒不' }, { text: `履行${i}` }] }
              : c,
        ),
      );
    }
    const path = join(dir, `big${++n}.xlsx`);
    await wb.xlsx.writeFile(path);
    let i = 0;
    for await (const r of readImportRows(path, 'xlsx')) {
      expect(r.values.subjectName).toBe(`安徽示例建设有限公司第${i}分公司`);
      expect(r.values.reason).toBe(`拒不履行${i}`);
      i++;
    }
    expect(i).toBe(20000);
  });

  it('reads parts in any stored order (workbook.xml last, styles after the sheet) and ignores phonetic runs', async () => {
    const p = await sample();
    const order = [
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/worksheets/sheet1.xml',
      'xl/styles.xml',
      'xl/workbook.xml',
    ];
    // a phonetic reading, as Excel stores for names typed with some IMEs
    const sst = p.get('xl/sharedStrings.xml')!;
    expect(sst).toContain('<t>张三</t>');
    p.set('xl/sharedStrings.xml', sst.replace('<t>张三</t>', '<t>张三</t><rPh sb="0" eb="2"><t>zhang san</t></rPh>'));
    const entries = [...order, ...[...p.keys()].filter((k) => !order.includes(k))].map(
      (k) => [k, p.get(k)!] as [string, string],
    );
    const rows = await readAll(file(zipOf(entries), 'xlsx'), 'xlsx');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expectRowA(rows[0]);
  });

  it('reads rows and cells without r attributes, and inline (rich) strings (OpenXML SDK style)', async () => {
    const p = await sample();
    const ss = [...p.get('xl/sharedStrings.xml')!.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]);
    const sheet = p
      .get('xl/worksheets/sheet1.xml')!
      .replace(/<row r="\d+"/g, '<row')
      .replace(/<c r="[A-Z]+\d+"/g, '<c')
      .replace(
        /<c([^>]*) t="s"([^>]*)><v>(\d+)<\/v><\/c>/g,
        (_, a, b, i) => `<c${a}${b} t="inlineStr"><is><t>${ss[Number(i)]}</t></is></c>`,
      );
    expect(sheet).not.toMatch(/ r="/);
    const rich = '<is><r><t>安徽示例</t></r><r><rPr><b/></rPr><t>建设有限公司</t></r></is>';
    expect(sheet).toContain('<is><t>安徽示例建设有限公司</t></is>');
    p.set('xl/worksheets/sheet1.xml', sheet.replace('<is><t>安徽示例建设有限公司</t></is>', rich));
    p.delete('xl/sharedStrings.xml');
    const rows = await readAll(file(zipOf([...p]), 'xlsx'), 'xlsx');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expectRowA(rows[0]);
    expect(rows[1].values.subjectName).toBe('李四');
  });

  it('reads SpreadsheetML written with a namespace prefix (<x:row>)', async () => {
    const p = await sample();
    const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    for (const part of ['xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/styles.xml']) {
      const xml = p
        .get(part)!
        .replace(`xmlns="${main}"`, `xmlns:x="${main}"`)
        .replace(/<(\/?)([A-Za-z]+)(?=[\s/>])/g, '<$1x:$2');
      expect(xml).toContain('<x:');
      p.set(part, xml);
    }
    const rows = await readAll(file(zipOf([...p]), 'xlsx'), 'xlsx');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
    expectRowA(rows[0]);
  });
});

describe('detectFormat', () => {
  it('recognises XLSX by the zip magic whatever the name, CSV by name or text content', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
    expect(detectFormat('名单.xlsx', zip)).toBe('xlsx');
    expect(detectFormat('upload', zip)).toBe('xlsx');
    expect(detectFormat('名单.CSV', Buffer.from('名单类型,主体类别\n'))).toBe('csv');
    expect(detectFormat('名单', iconv.encode('名单类型,主体类别\r\n', 'gb18030'))).toBe('csv');
    expect(detectFormat('名单.txt', Buffer.from('a\tb'))).toBe('csv');
  });

  it('refuses legacy .xls, spreadsheets that are not zips and binaries', () => {
    expect(detectFormat('名单.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBeNull();
    expect(detectFormat('名单.xlsx', Buffer.from('名单类型'))).toBeNull();
    expect(detectFormat('photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]))).toBeNull();
    expect(detectFormat('empty', Buffer.alloc(0))).toBeNull();
  });
});

describe('cellText', () => {
  it('spells numbers out without exponent, as Excel shows 15 significant digits', () => {
    expect(plainNumber(340100)).toBe('340100');
    // eslint-disable-next-line no-loss-of-precision -- on purpose: the 18 digits Excel cannot keep
    expect(plainNumber(913401001234567890)).toBe('913401001234568000');
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(0.1 + 0.2)).toBe('0.3');
    expect(plainNumber(1.5e-7)).toBe('0.00000015');
    expect(plainNumber(-12.5)).toBe('-12.5');
    expect(plainNumber(-0)).toBe('0');
  });

  it('turns dates into YYYY-MM-DD from UTC components, serials with a date format too', () => {
    expect(cellText(new Date(Date.UTC(2026, 0, 5, 23, 30)), undefined)).toBe('2026-01-05');
    expect(cellText(46023, 'yyyy/m/d')).toBe('2026-01-01');
    expect(cellText(46023, '[$-F800]dddd, mmmm dd, yyyy')).toBe('2026-01-01');
    expect(cellText(46023, '0.00')).toBe('46023');
    expect(cellText({ formula: 'TODAY()', result: 46023 }, 'yyyy-mm-dd')).toBe('2026-01-01');
    expect(cellText(44562, 'yyyy-mm-dd', true)).toBe('2026-01-02');
  });

  it('reads rich text, errors, booleans and OOXML escapes', () => {
    expect(cellText({ richText: [{ text: '甲' }, { text: '乙_x000D_' }] }, undefined)).toBe('甲乙\r');
    expect(cellText({ formula: 'VLOOKUP(A1,B:C,2,0)', result: { error: '#N/A' } }, undefined)).toBe('#N/A');
    expect(cellText(true, undefined)).toBe('TRUE');
    expect(cellText({ text: { richText: [{ text: '链接' }] }, hyperlink: 'http://x' }, undefined)).toBe('链接');
  });
});
