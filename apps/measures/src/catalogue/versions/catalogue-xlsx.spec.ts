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
        },
      ],
    });
    const back = await catalogueFromXlsx(await catalogueToXlsx(withCityMeasure, '安徽省联合奖惩措施清单'));
    expect(back).toEqual(withCityMeasure);
    expect([back.memoranda.length, back.listTypes.length, back.measures.length]).toEqual([10, 9, 101]);
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
});
