import { IMPORT_COLUMNS, matchHeaders, normalizeHeader } from './columns';

describe('import columns', () => {
  const headers = IMPORT_COLUMNS.map((c) => c.header);

  it('lists the 17 template columns in order, 9 of them required', () => {
    expect(headers).toEqual([
      '名单类型',
      '主体类别',
      '主体名称',
      '统一社会信用代码',
      '证件类型',
      '证件号码',
      '法定代表人',
      '法定代表人证件号码',
      '列入事由',
      '认定部门',
      '认定级别',
      '认定文号',
      '列入日期',
      '有效期至',
      '行政区划',
      '告知书送达日期',
      '告知书文号',
    ]);
    expect(IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.key)).toEqual([
      'listType',
      'subjectKind',
      'subjectName',
      'reason',
      'decidedBy',
      'identificationLevel',
      'documentNo',
      'listedAt',
      'region',
    ]);
  });

  it('matches the template header row', () => {
    const m = matchHeaders(headers);
    expect(m.missing).toEqual([]);
    expect(m.duplicates).toEqual([]);
    expect(m.indexOf.listType).toBe(0);
    expect(m.indexOf.region).toBe(14);
  });

  it('matches reordered, decorated headers and ignores unknown ones', () => {
    const m = matchHeaders([
      '序号',
      ' 行政区划 ',
      '　主体名称　',
      '*名单类型',
      '主体类别（必填）',
      '列入事由(必填)',
      '认定部门',
      '认定级别',
      '认定文号',
      '列入日期（YYYY-MM-DD）',
      '统一社会信用代码【法人必填】',
      '法定代表人（负责人）证件号码',
      '备注',
    ]);
    expect(m.missing).toEqual([]);
    expect(m.indexOf).toEqual({
      region: 1,
      subjectName: 2,
      listType: 3,
      subjectKind: 4,
      reason: 5,
      decidedBy: 6,
      identificationLevel: 7,
      documentNo: 8,
      listedAt: 9,
      uscc: 10,
      legalRepresentativeIdNumber: 11,
    });
  });

  it('reports missing required headers in Chinese, in template order', () => {
    const m = matchHeaders(['主体名称', '列入事由', '认定部门', '认定级别', '认定文号', '行政区划', '主体类别']);
    expect(m.missing).toEqual(['名单类型', '列入日期']);
  });

  it('reports a column given twice', () => {
    const m = matchHeaders([...headers, '主体名称 ']);
    expect(m.duplicates).toEqual(['主体名称']);
    expect(m.indexOf.subjectName).toBe(2);
  });

  it('normalises full-width characters and notes', () => {
    expect(normalizeHeader('　有效期至（选填）\t')).toBe('有效期至');
    expect(normalizeHeader('法定代表人 (负责人)')).toBe('法定代表人');
  });
});
