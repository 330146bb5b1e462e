import { seedDocument } from '../seed/seed-catalogue';
import { normaliseDocument } from './catalogue-document';
import { catalogueFromXlsx, catalogueToXlsx } from './catalogue-xlsx';

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
});
