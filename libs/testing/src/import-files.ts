/**
 * The headers of an import file with the fifteen basic columns (the template's required and common
 * optional ones, in the template's order), as the test suites write their CSV and XLSX fixtures.
 */
export const IMPORT_HEADERS: readonly string[] = [
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
];
