import type { Stream } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { idNumberCheckCharacter, usccCheckCharacter } from '@jrp/domain';
import { IMPORT_COLUMNS, type ImportColumnKey } from './columns';

export const TEMPLATE_DATA_SHEET = '名单数据';
export const TEMPLATE_HELP_SHEET = '填写说明';

export const SUBJECT_KIND_VALUES = ['法人', '自然人'] as const;
export const ID_TYPE_VALUES = [
  '居民身份证',
  '港澳居民来往内地通行证',
  '台湾居民来往大陆通行证',
  '外国人永久居留身份证',
  '护照',
] as const;
export const IDENTIFICATION_LEVEL_VALUES = ['国家级', '省级', '市级'] as const;

/** Rows of the data sheet that carry drop-down lists (header excluded). */
const VALIDATED_ROWS = 100_000;

const EXAMPLE_USCC_17 = '91340100MA2N00004';
const EXAMPLE_ID_17 = '34010219800101001';

/**
 * The example row of the template (row 2). An uploader who forgets to delete it would import it:
 * the import service may compare against this to refuse it.
 */
export const TEMPLATE_EXAMPLE_ROW: Readonly<Record<ImportColumnKey, string>> = {
  listType: '失信被执行人名单',
  subjectKind: '法人',
  subjectName: '安徽示例建设有限公司',
  uscc: EXAMPLE_USCC_17 + usccCheckCharacter(EXAMPLE_USCC_17),
  idType: '',
  idNumber: '',
  legalRepresentative: '张三',
  legalRepresentativeIdNumber: EXAMPLE_ID_17 + idNumberCheckCharacter(EXAMPLE_ID_17),
  reason: '有履行能力而拒不履行生效法律文书确定义务',
  decidedBy: '合肥市中级人民法院',
  identificationLevel: '市级',
  documentNo: '（2026）皖01执123号',
  listedAt: '2026-11-01',
  validUntil: '2029-10-31',
  region: '340100',
  noticeServedOn: '',
  noticeDocumentNo: '',
};

/** Column presentation: width (characters), and text format where Excel must not turn digits into a number. */
const LAYOUT: Record<
  ImportColumnKey,
  { width: number; text?: boolean; date?: boolean; help: string; allowed?: string }
> = {
  listType: { width: 22, help: '名单目录中的名单名称或代码', allowed: '如：失信被执行人名单' },
  subjectKind: { width: 10, help: '被列入名单的主体的类别', allowed: SUBJECT_KIND_VALUES.join(' / ') },
  subjectName: { width: 30, help: '法人或非法人组织的全称，或自然人姓名' },
  uscc: {
    width: 22,
    text: true,
    help: '18 位统一社会信用代码；主体类别为“法人”时必填',
    allowed: '18 位，数字或大写字母（不含 I、O、S、V、Z）',
  },
  idType: { width: 22, help: '主体类别为“自然人”时必填', allowed: ID_TYPE_VALUES.join(' / ') },
  idNumber: {
    width: 22,
    text: true,
    help: '主体类别为“自然人”时必填；居民身份证为 18 位',
    allowed: '文本格式，勿改为数字格式',
  },
  legalRepresentative: { width: 12, help: '法人主体的法定代表人（负责人）姓名' },
  legalRepresentativeIdNumber: {
    width: 22,
    text: true,
    help: '法定代表人的居民身份证号码',
    allowed: '18 位，文本格式',
  },
  reason: { width: 40, help: '列入名单的事实和依据' },
  decidedBy: { width: 24, help: '作出认定的部门全称' },
  identificationLevel: { width: 10, help: '认定部门的级别', allowed: IDENTIFICATION_LEVEL_VALUES.join(' / ') },
  documentNo: { width: 24, text: true, help: '认定文书的文号' },
  listedAt: { width: 14, date: true, help: '列入名单的日期', allowed: 'YYYY-MM-DD，如 2026-11-01' },
  validUntil: {
    width: 14,
    date: true,
    help: '有效期截止日期（含当日）；不填表示长期有效或依名单目录规定',
    allowed: 'YYYY-MM-DD',
  },
  region: { width: 12, text: true, help: '认定部门所在地的行政区划代码', allowed: '6 位数字代码，如 340100（合肥市）' },
  noticeServedOn: {
    width: 14,
    date: true,
    help: '先告知后列入的名单：已在本系统外送达告知书的送达日期（与告知书文号同时填写）；陈述申辩期已满的直接列入，不填则由本系统告知',
    allowed: 'YYYY-MM-DD',
  },
  noticeDocumentNo: { width: 24, text: true, help: '已送达的告知书文号（与告知书送达日期同时填写）' },
};

const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const OPTIONAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
const THIN_BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/**
 * Writes the import template (XLSX) to `stream` with exceljs's streaming WorkbookWriter; resolves
 * once the stream has finished (exceljs waits for its 'finish' event, so the stream must be
 * consumed). Sheet 1 名单数据: the header row (bold, frozen, required columns shaded), one example
 * row, drop-down lists, ID-number columns formatted as text ('@') so Excel keeps all 18 digits.
 * Sheet 2 填写说明: what each column means and the values allowed.
 */
export async function writeTemplateXlsx(stream: NodeJS.WritableStream): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: stream as unknown as Stream,
    useStyles: true,
    useSharedStrings: true,
  });
  workbook.creator = '联合奖惩系统';
  workbook.created = new Date();

  const data = workbook.addWorksheet(TEMPLATE_DATA_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  data.columns = IMPORT_COLUMNS.map((c) => {
    const layout = LAYOUT[c.key];
    const numFmt = layout.text ? '@' : layout.date ? 'yyyy-mm-dd' : undefined;
    return { key: c.key, width: layout.width, ...(numFmt ? { style: { numFmt } } : {}) };
  });

  const header = data.addRow(IMPORT_COLUMNS.map((c) => c.header));
  header.height = 20;
  header.eachCell((cell, col) => {
    const column = IMPORT_COLUMNS[col - 1];
    cell.font = { bold: true, ...(column.required ? { color: { argb: 'FFC00000' } } : {}) };
    cell.fill = column.required ? REQUIRED_FILL : OPTIONAL_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.border = THIN_BORDER;
  });
  header.commit();

  const example = data.addRow(
    IMPORT_COLUMNS.map((c) => {
      const v = TEMPLATE_EXAMPLE_ROW[c.key];
      if (!v) return null;
      return LAYOUT[c.key].date ? new Date(`${v}T00:00:00Z`) : v; // a real date cell, read back as YYYY-MM-DD
    }),
  );
  example.eachCell((cell) => {
    cell.font = { italic: true, color: { argb: 'FF7F7F7F' } };
  });
  example.commit();

  addListValidation(data, 'subjectKind', SUBJECT_KIND_VALUES);
  addListValidation(data, 'idType', ID_TYPE_VALUES);
  addListValidation(data, 'identificationLevel', IDENTIFICATION_LEVEL_VALUES);
  data.commit();

  const help = workbook.addWorksheet(TEMPLATE_HELP_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  help.columns = [{ width: 22 }, { width: 10 }, { width: 56 }, { width: 60 }];
  const helpHeader = help.addRow(['列名', '是否必填', '填写说明', '允许的值 / 格式']);
  helpHeader.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = OPTIONAL_FILL;
    cell.border = THIN_BORDER;
  });
  helpHeader.commit();
  for (const c of IMPORT_COLUMNS) {
    const layout = LAYOUT[c.key];
    const row = help.addRow([c.header, c.required ? '必填' : '选填', layout.help, layout.allowed ?? '']);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  help.addRow([]).commit();
  for (const note of [
    '1. 请在“名单数据”工作表中填写，第 1 行为表头，不要修改表头文字；列的顺序可以调整，多余的列导入时忽略。',
    '2. 第 2 行为示例，导入前请删除。',
    '3. 统一社会信用代码、证件号码、法定代表人证件号码等列已设为文本格式。若粘贴后显示为 3.40104E+17 之类的科学计数法，说明已被当作数字，后 3 位已丢失，导入时将校验不通过，请按文本重新填写。',
    '4. 日期可填写为日期单元格，或文本 YYYY-MM-DD。',
    '5. 也可以上传 CSV 文件（UTF-8 或 GBK 编码），表头与本模板相同。',
  ]) {
    help.addRow([note]).commit();
  }
  help.commit();

  await workbook.commit();
}

function addListValidation(sheet: ExcelJS.Worksheet, key: ImportColumnKey, values: readonly string[]): void {
  const col = IMPORT_COLUMNS.findIndex((c) => c.key === key) + 1;
  const letter = sheet.getColumn(col).letter;
  // Worksheet.dataValidations exists at runtime (streaming writer included) but not in exceljs's typings.
  const validations = (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } })
    .dataValidations;
  validations.add(`${letter}2:${letter}${VALIDATED_ROWS + 1}`, {
    type: 'list',
    allowBlank: true,
    formulae: [`"${values.join(',')}"`],
    showErrorMessage: true,
    errorStyle: 'warning',
    errorTitle: '请从列表中选择',
    error: `允许的值：${values.join('、')}`,
  });
}
