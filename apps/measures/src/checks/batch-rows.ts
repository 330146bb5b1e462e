import { ID_TYPE_LABELS, ID_TYPES, IdType, looksLikeIdNumber, maskIdNumber, maskIdNumberLike } from '@jrp/domain';
import {
  idNumberFieldProblem,
  idTypeFieldProblem,
  SubjectIdentifier,
  subjectIdentifierOf,
  usccFieldProblem,
} from './subject-identifier';

/** A batch comparison (批量比对) may name this many subjects at most; more: 413. */
export const MAX_BATCH_SUBJECTS = 10_000;

/** The headers of an uploaded batch (CSV or XLSX), as the national and provincial systems name them. */
export const BATCH_HEADERS = {
  name: '主体名称',
  uscc: '统一社会信用代码',
  idType: '证件类型',
  idNumber: '证件号码',
} as const;
export type BatchColumn = keyof typeof BATCH_HEADERS;

/** One subject of a batch as given: JSON (`idType` a code) or a file row (`idType` a code or its Chinese label). */
export interface BatchSubjectInput {
  name?: unknown;
  uscc?: unknown;
  idType?: unknown;
  idNumber?: unknown;
}

/** A row that can be checked (its identifier, normalised) or why not (原因, Chinese, and the field). */
export type BatchRow =
  | { row: number; name: string | null; display: string; subject: SubjectIdentifier }
  | { row: number; name: string | null; display: string; field: string; reason: string };

const LABEL_TO_TYPE = new Map<string, IdType>(ID_TYPES.map((t) => [ID_TYPE_LABELS[t], t]));
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * The row's subject as the answer may show it: the USCC, or the ID number masked (never in clear, nor
 * when it was typed into the USCC column).
 */
function displayOf(s: BatchSubjectInput): string {
  if (typeof s.uscc === 'string' && s.uscc.trim())
    return looksLikeIdNumber(s.uscc) ? maskIdNumberLike(s.uscc.trim()) : s.uscc.trim();
  if (typeof s.idNumber === 'string' && s.idNumber.trim()) return maskIdNumber(s.idNumber.trim());
  return '';
}

/**
 * One subject of a batch, checked as a single check checks it (the same normalisation as publishing):
 * blank cells are absent; 证件类型 may be the Chinese label. Pure: no I/O. `row` counts from 1.
 */
export function batchRowOf(input: BatchSubjectInput, row: number, today: Date = new Date()): BatchRow {
  const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim() : null;
  const base = { row, name, display: '' };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ...base, field: 'subject', reason: '不是一个主体（应为 {uscc} 或 {idType, idNumber}）' };
  base.display = displayOf(input);
  const s: BatchSubjectInput = {};
  if (!blank(input.uscc)) s.uscc = typeof input.uscc === 'string' ? input.uscc.trim() : input.uscc;
  if (!blank(input.idNumber)) s.idNumber = typeof input.idNumber === 'string' ? input.idNumber.trim() : input.idNumber;
  if (!blank(input.idType)) {
    const text = typeof input.idType === 'string' ? input.idType.trim() : input.idType;
    s.idType = (typeof text === 'string' && LABEL_TO_TYPE.get(text)) || text;
  }
  if (s.uscc === undefined && s.idNumber === undefined)
    return { ...base, field: 'subject', reason: '未填写统一社会信用代码或证件号码，无法比对' };
  if (s.uscc !== undefined && (s.idNumber !== undefined || s.idType !== undefined))
    return { ...base, field: 'uscc', reason: '统一社会信用代码与证件类型、证件号码只能填写一种，无法确定主体' };
  const uscc = usccFieldProblem(s);
  if (uscc !== null) return { ...base, field: 'uscc', reason: `统一社会信用代码校验未通过（${uscc}）` };
  if (idTypeFieldProblem(s) !== null)
    return {
      ...base,
      field: 'idType',
      reason: `证件类型无法识别（应为：${ID_TYPES.map((t) => ID_TYPE_LABELS[t]).join('、')}）`,
    };
  const idNumber = idNumberFieldProblem(s, today);
  if (idNumber !== null) return { ...base, field: 'idNumber', reason: `证件号码校验未通过（${idNumber}）` };
  return {
    ...base,
    subject: subjectIdentifierOf(s as { uscc?: string; idType?: IdType; idNumber?: string }),
  };
}

/**
 * A file's rows by their headers: the first row holding 统一社会信用代码 or 证件号码 is the header row (a
 * title row above it is skipped); every later non-blank row is a subject, numbered by its data row from 1.
 * null: no header row.
 */
export function batchInputsOf(rows: readonly string[][]): BatchSubjectInput[] | null {
  const headerAt = rows.findIndex((r) =>
    r.some((c) => c.trim() === BATCH_HEADERS.uscc || c.trim() === BATCH_HEADERS.idNumber),
  );
  if (headerAt < 0) return null;
  const headers = rows[headerAt].map((c) => c.trim());
  const at = Object.fromEntries(
    (Object.keys(BATCH_HEADERS) as BatchColumn[]).map((k) => [k, headers.indexOf(BATCH_HEADERS[k])]),
  ) as Record<BatchColumn, number>;
  const cell = (r: string[], k: BatchColumn) => (at[k] >= 0 ? (r[at[k]] ?? '').trim() : '');
  return rows
    .slice(headerAt + 1)
    .filter((r) => r.some((c) => c.trim() !== ''))
    .map((r) => ({
      name: cell(r, 'name'),
      uscc: cell(r, 'uscc'),
      idType: cell(r, 'idType'),
      idNumber: cell(r, 'idNumber'),
    }));
}
