import type { FieldError } from '@jrp/http';
import { ID_TYPE_LABELS, IdType } from '@jrp/domain';
import { IMPORT_COLUMNS, ImportColumnKey, RawImportRow } from './parsing';

/** An import error as the publisher reads it: the row, the column (Chinese header), the reason in Chinese. */
export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

const HEADER: Record<ImportColumnKey, string> = Object.fromEntries(
  IMPORT_COLUMNS.map((c) => [c.key, c.header]),
) as Record<ImportColumnKey, string>;

const KINDS: Record<string, 'legal' | 'natural'> = {
  法人: 'legal',
  法人和非法人组织: 'legal',
  非法人组织: 'legal',
  其他组织: 'legal',
  个体工商户: 'legal',
  legal: 'legal',
  自然人: 'natural',
  natural: 'natural',
};
const LEVELS: Record<string, string> = {
  国家级: 'national',
  省级: 'provincial',
  市级: 'city',
  national: 'national',
  provincial: 'provincial',
  city: 'city',
};
const ID_TYPES: Record<string, IdType> = {
  ...(Object.fromEntries(Object.entries(ID_TYPE_LABELS).map(([k, v]) => [v, k])) as Record<string, IdType>),
  身份证: 'resident-id',
  居民身份证号: 'resident-id',
  回乡证: 'hk-macao-permit',
  台胞证: 'taiwan-permit',
  ...(Object.fromEntries(Object.keys(ID_TYPE_LABELS).map((k) => [k, k])) as Record<string, IdType>),
};

/** 2026-1-5, 2026/01/05, 2026.1.5, 20260105 → 2026-01-05; anything else unchanged (validation refuses it). */
export function normaliseDate(value: string): string {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(value.trim());
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : value.trim();
}

/**
 * One row of an import file as the entry it describes (the same shape as `POST /lists/entries`), or
 * the row's errors when its Chinese values cannot be read.
 */
export function rowToEntry(row: RawImportRow): { entry: Record<string, unknown> } | { errors: ImportRowError[] } {
  const v = (k: ImportColumnKey) => (row.values[k] ?? '').trim();
  const errors: ImportRowError[] = [];
  const kind = KINDS[v('subjectKind')];
  if (!kind) errors.push({ row: row.row, field: HEADER.subjectKind, message: '应为"法人"或"自然人"' });
  const level = v('identificationLevel') ? LEVELS[v('identificationLevel')] : undefined;
  if (v('identificationLevel') && !level)
    errors.push({ row: row.row, field: HEADER.identificationLevel, message: '应为"国家级"、"省级"或"市级"' });
  const idType = v('idType') ? ID_TYPES[v('idType')] : undefined;
  if (v('idType') && !idType)
    errors.push({
      row: row.row,
      field: HEADER.idType,
      message: `证件类型不正确，应为：${Object.values(ID_TYPE_LABELS).join('、')}`,
    });
  if (Boolean(v('noticeServedOn')) !== Boolean(v('noticeDocumentNo')))
    errors.push({
      row: row.row,
      field: v('noticeServedOn') ? HEADER.noticeDocumentNo : HEADER.noticeServedOn,
      message: '告知书送达日期和告知书文号应同时填写',
    });
  if (errors.length) return { errors };
  const subject: Record<string, unknown> = { kind, name: v('subjectName') };
  if (v('uscc')) subject.uscc = v('uscc').toUpperCase();
  if (v('idNumber')) {
    subject.idNumber = v('idNumber');
    if (idType) subject.idType = idType;
  }
  if (v('legalRepresentative') || v('legalRepresentativeIdNumber')) {
    subject.legalRepresentative = { name: v('legalRepresentative'), idNumber: v('legalRepresentativeIdNumber') };
  }
  const entry: Record<string, unknown> = {
    listType: v('listType'),
    subject,
    reason: v('reason'),
    decidedBy: v('decidedBy'),
    documentNo: v('documentNo'),
    listedAt: normaliseDate(v('listedAt')),
    region: v('region'),
  };
  if (level) entry.identificationLevel = level;
  if (v('validUntil')) entry.validUntil = normaliseDate(v('validUntil'));
  if (v('noticeServedOn'))
    entry.notice = { servedOn: normaliseDate(v('noticeServedOn')), documentNo: v('noticeDocumentNo') };
  return { entry };
}

const FIELD_HEADER: Record<string, string> = {
  listType: HEADER.listType,
  'subject.kind': HEADER.subjectKind,
  'subject.name': HEADER.subjectName,
  'subject.uscc': HEADER.uscc,
  'subject.idType': HEADER.idType,
  'subject.idNumber': HEADER.idNumber,
  'subject.legalRepresentative': HEADER.legalRepresentative,
  'subject.legalRepresentative.name': HEADER.legalRepresentative,
  'subject.legalRepresentative.idNumber': HEADER.legalRepresentativeIdNumber,
  reason: HEADER.reason,
  decidedBy: HEADER.decidedBy,
  identificationLevel: HEADER.identificationLevel,
  documentNo: HEADER.documentNo,
  listedAt: HEADER.listedAt,
  validUntil: HEADER.validUntil,
  region: HEADER.region,
  'notice.servedOn': HEADER.noticeServedOn,
  'notice.documentNo': HEADER.noticeDocumentNo,
};

const MESSAGES: [RegExp, string][] = [
  [/check character/, '校验位不正确'],
  [/must be 18 characters/, '长度应为18位'],
  [/15-digit|legacy/, '15位旧号码的出生日期无效'],
  [/not a real date/, '出生日期不是有效日期'],
  [/in the future/, '出生日期晚于今天'],
  [/characters outside/, '含有统一社会信用代码不允许的字符'],
  [/digit or X|digits/, '格式不正确'],
  [/division code/, '不是安徽省的行政区划代码'],
  [/unknown list type/, '名单类型不存在'],
  [/does not identify/, '无权发布该名单类型（须为该名单的认定部门）'],
  [/does not list (natural|legal)/, '该名单类型不适用此主体类别'],
  [/no legal representative/, '自然人没有法定代表人'],
  [/validUntil must not be before/, '有效期至早于列入日期'],
  [/date YYYY-MM-DD/, '日期格式应为YYYY-MM-DD'],
  [/should not be empty|must be a string/, '不能为空'],
  [/longer than|shorter than or equal/, '内容过长'],
  [/was (removed|expired)/, '该条目已移出或到期，不能再次列入；新的认定请使用新的认定文号'],
  [/full push of/, '全量导入只能包含所选名单类型'],
  [/is outside the caller.s city/, '行政区划不在本市范围内（市级信用办只能发布本市的名单）'],
  [/may not decide (national|provincial|city)-level/, '无权认定该级别的名单（市级信用办只能发布市级名单）'],
  [/no such entry in the caller.s city/, '本市没有该条目（该名单类型、主体和认定文号的条目不在本市）'],
  [/is not a known field/, '不是模板中的列'],
  [/servedOn must not be after today/, '告知书送达日期晚于今天'],
  [/servedOn is not a calendar date/, '告知书送达日期不是有效日期'],
  [/is not a calendar date/, '不是有效的日期'],
  [/NUL character/, '含有空字符（NUL），请删除'],
  [/unpaired surrogate/, '含有无效的字符编码，请检查文件的编码'],
  [/control character (U\+[0-9A-F]{4})/, '含有控制字符，请删除'],
  [/database refused this row/, '数据库拒绝保存该行，请检查各列的内容'],
  [/must be a non-negative amount/, '金额应为非负数，最多两位小数'],
];

/** A field error of the publishing API, for a row of an import file: the column and a Chinese reason. */
export function chineseError(row: number, error: FieldError): ImportRowError {
  const field = FIELD_HEADER[error.field] ?? error.field;
  const message =
    MESSAGES.find(([pattern]) => pattern.test(error.message))?.[1] ??
    (/^[\u4e00-\u9fff]/.test(error.message) ? error.message : `内容不正确（${error.message}）`); // Chinese already: as it is
  return { row, field, message };
}
