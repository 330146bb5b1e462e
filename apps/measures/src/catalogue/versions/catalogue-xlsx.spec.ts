import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { seedDocument } from '../seed/seed-catalogue';
import { normaliseDocument } from './catalogue-document';
import { catalogueFromXlsx, catalogueToXlsx, CatalogueXlsxError } from './catalogue-xlsx';

const document = seedDocument();

describe('catalogue workbook', () => {
  it('reads back exactly what it wrote: all 10 memoranda, 9 list types, 100 measures', async () => {
    const withCityMeasure = normaliseDocument({
      ...document,
      measures: [
        ...document.measures,
        {
          ...document.measures[0],
          code: 'HF-01',
          scopeRegion: '340100',
          effectiveFrom: '2026-01-01',
          effectiveTo: '2027-12-31',
          legalBasis: ['甲', '乙'],
          termMonths: 36,
          termFrom: 'decision',
        },
        { ...document.measures[1], code: 'HF-02', termMonths: 12, termFrom: 'listing' },
      ],
    });
    const back = await catalogueFromXlsx(await catalogueToXlsx(withCityMeasure, '安徽省联合奖惩措施清单'));
    expect(back).toEqual(withCityMeasure);
    expect([back.memoranda.length, back.listTypes.length, back.measures.length]).toEqual([10, 9, 102]);
  });

  it('says in Chinese what a workbook lacks', async () => {
    await expect(catalogueFromXlsx(Buffer.from('not a workbook'))).rejects.toThrow('文件不是有效的 XLSX');
  });

  /** The exported workbook with one part replaced (jszip, as exceljs uses it), deflated. */
  async function withPart(name: string, content: (old: string) => string): Promise<Buffer> {
    const zip = await JSZip.loadAsync(await catalogueToXlsx(document, '清单'));
    const part = zip.file(name);
    if (!part) throw new Error(`no ${name}`);
    zip.file(name, content(await part.async('string')));
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  }

  async function refusal(file: Buffer): Promise<CatalogueXlsxError> {
    const error: unknown = await catalogueFromXlsx(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof CatalogueXlsxError)) throw new Error(`expected a CatalogueXlsxError, got ${String(error)}`);
    return error;
  }

  it('refuses a zip bomb (a small file whose sheet inflates hundreds of times over) as too large', async () => {
    const row = '<row><c t="inlineStr"><is><t>限制乘坐飞机</t></is></c></row>';
    const bomb = await withPart('xl/worksheets/sheet3.xml', (xml) =>
      xml.replace('</sheetData>', `${row.repeat(400_000)}</sheetData>`),
    );
    expect(bomb.length).toBeLessThan(200 * 1024); // ~25 MB of XML
    const error = await refusal(bomb);
    expect(error.tooLarge).toBe(true);
    expect(error.message).toMatch(/压缩比异常/);
  });

  it('refuses a sheet past 20,000 rows or 256 columns', async () => {
    const rows = await withPart('xl/worksheets/sheet3.xml', (xml) =>
      xml.replace(
        '</sheetData>',
        '<row r="20001"><c r="A20001" t="inlineStr"><is><t>M99-01</t></is></c></row></sheetData>',
      ),
    );
    expect(await refusal(rows)).toMatchObject({ tooLarge: true, message: '工作表「措施」超过 20000 行，无法导入' });
    const columns = await withPart('xl/worksheets/sheet1.xml', (xml) =>
      xml.replace('</row>', '<c r="IW1" t="inlineStr"><is><t>备注</t></is></c></row>'),
    );
    expect(await refusal(columns)).toMatchObject({
      tooLarge: true,
      message: '工作表「备忘录」第 1 行超过 256 列，无法导入',
    });
  });

  it('names a missing sheet and missing columns', async () => {
    const zip = await JSZip.loadAsync(await catalogueToXlsx(document, '清单'));
    const workbook = (await zip.file('xl/workbook.xml')!.async('string')).replace('name="措施"', 'name="措施清单"');
    zip.file('xl/workbook.xml', workbook);
    const renamed = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(await refusal(renamed)).toMatchObject({ tooLarge: false, message: '缺少工作表：措施' });
    const header = await withPart('xl/sharedStrings.xml', (xml) => xml.replace('<t>措施内容</t>', '<t>内容</t>'));
    expect(await refusal(header)).toMatchObject({ tooLarge: false, message: '工作表「措施」缺少列：措施内容' });
  });

  /** The seed's workbook, its 名单类型 sheet edited (ExcelJS). */
  async function editedListTypes(edit: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await catalogueToXlsx(document, '清单')) as never);
    edit(workbook.getWorksheet('名单类型')!);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
  const headerAt = (sheet: ExcelJS.Worksheet, header: string) =>
    (sheet.getRow(1).values as unknown[]).findIndex((v) => v === header);

  it('writes each list type’s rule set in Chinese and reads it back', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await catalogueToXlsx(document, '清单')) as never);
    const sheet = workbook.getWorksheet('名单类型')!;
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).text === 'BL-STATISTICS')!;
    const cell = (header: string) => row.getCell(headerAt(sheet, header)).text;
    expect([cell('列入程序'), cell('修复路径'), cell('默认等级'), cell('失信等级及公示期限（月）')]).toEqual([
      '先告知后列入',
      '申请修复（2025）',
      '严重',
      '轻微 0–3、一般 3–12、严重 12–36',
    ]);
    expect(cell('认定依据条款')).toBe('一、联合惩戒对象');
  });

  it('imports a workbook exported before rule sets: its list types follow the 2018 path (from 可信用修复)', async () => {
    const old = await editedListTypes((sheet) => {
      for (const header of ['救济途径', '移出条件', '认定依据条款', '认定依据文件', '异议期间暂停措施', '默认等级']) {
        sheet.spliceColumns(headerAt(sheet, header), 1);
      }
      for (const header of ['失信等级及公示期限（月）', '修复路径', '列入程序'])
        sheet.spliceColumns(headerAt(sheet, header), 1);
    });
    const back = await catalogueFromXlsx(old);
    const byCode = new Map(back.listTypes.map((l) => [l.code, l]));
    expect(byCode.get('BL-STATISTICS')).toMatchObject({
      repairable: true,
      repairPath: 'watch-list-2018',
      procedure: 'direct',
      grades: [],
      defaultGrade: null,
      basis: null,
    });
    expect(byCode.get('BL-COURT-DEBTOR')).toMatchObject({ repairable: false, repairPath: 'none' });
  });

  it('reads a changed rule set: the repair path decides repairable, grades and periods parse', async () => {
    const edited = await editedListTypes((sheet) => {
      const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).text === 'BL-TAX-MAJOR-CASE')!;
      row.getCell(headerAt(sheet, '修复路径')).value = '申请修复（2025）';
      row.getCell(headerAt(sheet, '失信等级及公示期限（月）')).value = '一般 3-12、严重 12–60';
      row.getCell(headerAt(sheet, '默认等级')).value = '一般';
    });
    const tax = (await catalogueFromXlsx(edited)).listTypes.find((l) => l.code === 'BL-TAX-MAJOR-CASE')!;
    expect(tax).toMatchObject({
      repairable: true,
      repairPath: 'application-2025',
      defaultGrade: 'general',
      grades: [
        { grade: 'general', minimumMonths: 3, maximumMonths: 12 },
        { grade: 'serious', minimumMonths: 12, maximumMonths: 60 },
      ],
    });
  });

  it('reads withheld facilitations (不适用的便利措施) one a line as 编码|名称|依据; an empty cell: none; no column: the default', async () => {
    const row = (sheet: ExcelJS.Worksheet, code: string) =>
      sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).text === code)!;
    const edited = await editedListTypes((sheet) => {
      const at = headerAt(sheet, '不适用的便利措施');
      expect(row(sheet, 'BL-STATISTICS').getCell(at).text.split('\n')[0]).toBe(
        'notify-commit|不适用告知承诺制|国务院办公厅关于全面推行证明事项告知承诺制的指导意见（国办发〔2020〕42号）',
      );
      row(sheet, 'BL-STATISTICS').getCell(at).value =
        'priority ｜ 不适用优先办理 | 某省办法第五条\r\n\nnotify-commit|不适用告知承诺制|国办发〔2020〕42号';
      row(sheet, 'BL-FOOD-DRUG').getCell(at).value = '';
    });
    const byCode = new Map((await catalogueFromXlsx(edited)).listTypes.map((l) => [l.code, l]));
    expect(byCode.get('BL-STATISTICS')!.withheldFacilitations).toEqual([
      { code: 'priority', label: '不适用优先办理', basis: '某省办法第五条' },
      { code: 'notify-commit', label: '不适用告知承诺制', basis: '国办发〔2020〕42号' },
    ]);
    expect(byCode.get('BL-FOOD-DRUG')!.withheldFacilitations).toEqual([]);

    const old = await editedListTypes((sheet) => sheet.spliceColumns(headerAt(sheet, '不适用的便利措施'), 1));
    const oldByCode = new Map((await catalogueFromXlsx(old)).listTypes.map((l) => [l.code, l]));
    expect(oldByCode.get('BL-STATISTICS')!.withheldFacilitations.map((f) => f.code)).toEqual([
      'notify-commit',
      'tolerance-acceptance',
    ]);
    expect(oldByCode.get('RL-TAX-GRADE-A')!.withheldFacilitations).toEqual([]);

    const bad = await editedListTypes((sheet) => {
      row(sheet, 'BL-STATISTICS').getCell(headerAt(sheet, '不适用的便利措施')).value = 'notify-commit|不适用告知承诺制';
    });
    await expect(catalogueFromXlsx(bad)).rejects.toThrow(
      /名单类型 BL-STATISTICS：不适用的便利措施每行应为“编码\|名称\|依据”/,
    );
  });

  /** The national base list (失信惩戒措施基础清单) as the office enters it: the 措施 sheet without 法律依据, with 依据 and 来源. */
  const BASE_LIST_HEADERS = [
    '编码',
    '措施内容',
    '类别',
    '分类',
    '备忘录',
    '名单类型',
    '实施部门',
    '部门对应为推定',
    '适用对象',
    '主体类别',
    '反馈时限（工作日）',
    '需完整身份证号',
    '生效日期',
    '失效日期',
    '适用范围',
    '依据',
    '来源备忘录',
    '基础清单版本',
    '基础清单序号',
    '来源清单',
    '依据待核对',
    '待核对原因',
  ];
  async function baseListWorkbook(rows: string[][]): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await catalogueToXlsx(document, '清单')) as never);
    workbook.removeWorksheet(workbook.getWorksheet('措施')!.id);
    const sheet = workbook.addWorksheet('措施');
    sheet.addRow(BASE_LIST_HEADERS);
    for (const row of rows) sheet.addRow(row);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
  const common = [
    '惩戒',
    '政府采购',
    'M01',
    'BL-COURT-DEBTOR',
    'AH-FINANCE',
    '否',
    '主体',
    '法人',
    '10',
    '否',
    '',
    '',
    '全省',
  ];

  it('imports the national base list: basis items in the compact form, base-list edition and item, pending measures', async () => {
    const file = await baseListWorkbook([
      [
        'BL24-012',
        '限制参加政府采购活动',
        ...common,
        '法律《中华人民共和国政府采购法》第二十二条\n合作备忘录《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
        'M01',
        '2024',
        '12',
        '国家',
        '否',
        '',
      ],
      ['BL24-013', '限制取得政府供应土地', ...common, '', '', '2024', '13', '国家', '是', '基础清单未列明条款，待核对'],
    ]);
    const doc = await catalogueFromXlsx(file);
    expect(doc.measures).toEqual([
      expect.objectContaining({
        code: 'BL24-012',
        legalBasis: ['中华人民共和国政府采购法第二十二条'],
        basis: [
          { kind: 'law', document: '中华人民共和国政府采购法', number: null, article: '第二十二条' },
          {
            kind: 'memorandum',
            document: '关于对失信被执行人实施联合惩戒的合作备忘录',
            number: '发改财金〔2016〕141号',
            article: null,
          },
        ],
        source: { memorandum: 'M01', baseList: { edition: '2024', item: '12' }, catalogue: 'national' },
        basisPending: false,
        basisPendingReason: null,
      }),
      expect.objectContaining({
        code: 'BL24-013',
        legalBasis: [],
        basis: [],
        source: { memorandum: null, baseList: { edition: '2024', item: '13' }, catalogue: 'national' },
        basisPending: true,
        basisPendingReason: '基础清单未列明条款，待核对',
      }),
    ]);
  });

  it('refuses a basis cell not in the compact form, naming the measure', async () => {
    const file = await baseListWorkbook([
      ['BL24-014', '限制', ...common, '政府采购法第二十二条', '', '2024', '14', '国家', '否', ''],
    ]);
    await expect(catalogueFromXlsx(file)).rejects.toThrow(/措施 BL24-014：依据「政府采购法第二十二条」应写作/);
  });

  it('writes a measure’s term in Chinese (期限（月）, 期限起算) and imports a workbook from before terms', async () => {
    const termed = normaliseDocument({
      ...document,
      measures: document.measures.map((m) => (m.code === 'M02-09' ? { ...m, termMonths: 36, termFrom: 'listing' } : m)),
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await catalogueToXlsx(termed, '清单')) as never);
    const sheet = workbook.getWorksheet('措施')!;
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).text === 'M02-09')!;
    const other = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).text === 'M01-01')!;
    expect([row.getCell(headerAt(sheet, '期限（月）')).text, row.getCell(headerAt(sheet, '期限起算')).text]).toEqual([
      '36',
      '列入之日',
    ]);
    expect(other.getCell(headerAt(sheet, '期限（月）')).text).toBe('');
    for (const header of ['期限（月）', '期限起算']) sheet.spliceColumns(headerAt(sheet, header), 1);
    const old = await catalogueFromXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(old.measures.find((m) => m.code === 'M02-09')).toMatchObject({ termMonths: null, termFrom: null });
  });
});
