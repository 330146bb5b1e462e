import { chineseError, normaliseDate, rowToEntry } from './row-to-entry';

describe('import rows', () => {
  it('maps Chinese values to the API’s codes', () => {
    const result = rowToEntry({
      row: 2,
      values: {
        listType: '失信被执行人名单',
        subjectKind: '自然人',
        subjectName: '张三',
        idType: '居民身份证',
        idNumber: '11010519491231002X',
        reason: '拒不履行',
        decidedBy: '合肥中院',
        identificationLevel: '省级',
        documentNo: '（2026）1号',
        listedAt: '2026/1/5',
        region: '340100',
      },
    });
    expect(result).toEqual({
      entry: {
        listType: '失信被执行人名单',
        subject: { kind: 'natural', name: '张三', idNumber: '11010519491231002X', idType: 'resident-id' },
        reason: '拒不履行',
        decidedBy: '合肥中院',
        identificationLevel: 'provincial',
        documentNo: '（2026）1号',
        listedAt: '2026-01-05',
        region: '340100',
      },
    });
  });

  it('carries a notice served outside jrp (告知书送达日期, 告知书文号), both or neither', () => {
    const values = {
      listType: '统计领域严重失信企业',
      subjectKind: '法人',
      subjectName: '某公司',
      reason: '统计造假',
      decidedBy: '安徽省统计局',
      identificationLevel: '省级',
      documentNo: '皖统罚〔2026〕1号',
      listedAt: '2026-03-10',
      region: '340100',
    };
    expect(
      rowToEntry({ row: 2, values: { ...values, noticeServedOn: '2026/2/1', noticeDocumentNo: '皖统告〔2026〕1号' } }),
    ).toMatchObject({ entry: { notice: { servedOn: '2026-02-01', documentNo: '皖统告〔2026〕1号' } } });
    const plain = rowToEntry({ row: 2, values });
    expect('entry' in plain && 'notice' in plain.entry).toBe(false);
    expect(rowToEntry({ row: 4, values: { ...values, noticeServedOn: '2026-02-01' } })).toEqual({
      errors: [{ row: 4, field: '告知书文号', message: '告知书送达日期和告知书文号应同时填写' }],
    });
    expect(
      chineseError(5, { field: 'notice.servedOn', message: 'servedOn must not be after today (2026-12-03)' }),
    ).toEqual({ row: 5, field: '告知书送达日期', message: '告知书送达日期晚于今天' });
  });

  it('says in Chinese which value it cannot read', () => {
    expect(rowToEntry({ row: 7, values: { subjectKind: '公司', identificationLevel: '县级' } })).toEqual({
      errors: [
        { row: 7, field: '主体类别', message: '应为"法人"或"自然人"' },
        { row: 7, field: '认定级别', message: '应为"国家级"、"省级"或"市级"' },
      ],
    });
  });

  it('translates the API’s field errors', () => {
    expect(
      chineseError(3, { field: 'subject.uscc', message: 'uscc check character does not match (GB 32100)' }),
    ).toEqual({ row: 3, field: '统一社会信用代码', message: '校验位不正确' });
    expect(chineseError(4, { field: 'region', message: 'region is not a division code of Anhui province' })).toEqual({
      row: 4,
      field: '行政区划',
      message: '不是安徽省的行政区划代码',
    });
  });

  it.each([
    [
      'region',
      "region 340100 is outside the caller's city 340200 (芜湖市)",
      '行政区划',
      '行政区划不在本市范围内（市级信用办只能发布本市的名单）',
    ],
    [
      'identificationLevel',
      'the caller may not decide provincial-level entries (only city)',
      '认定级别',
      '无权认定该级别的名单（市级信用办只能发布市级名单）',
    ],
    [
      'documentNo',
      'no such entry in the caller’s city: this list type, subject and document number are taken outside it',
      '认定文号',
      '本市没有该条目（该名单类型、主体和认定文号的条目不在本市）',
    ],
  ])('translates a city office’s refusal on %s', (field, message, header, chinese) => {
    expect(chineseError(5, { field, message })).toEqual({ row: 5, field: header, message: chinese });
  });

  it.each([
    ['2026-1-5', '2026-01-05'],
    ['2026.01.05', '2026-01-05'],
    ['20260105', '2026-01-05'],
    ['2026年1月5日', '2026-01-05'],
    ['soon', 'soon'],
  ])('reads the date %s', (a, b) => {
    expect(normaliseDate(a)).toBe(b);
  });
});
