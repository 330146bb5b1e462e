/**
 * Columns of a red/black list import file (名单导入文件). The template carries them in this order;
 * uploaded files may reorder them, decorate the headers and add columns of their own (ignored).
 */
export const IMPORT_COLUMNS = [
  { key: 'listType', header: '名单类型', required: true },
  { key: 'subjectKind', header: '主体类别', required: true },
  { key: 'subjectName', header: '主体名称', required: true },
  { key: 'uscc', header: '统一社会信用代码', required: false },
  { key: 'idType', header: '证件类型', required: false },
  { key: 'idNumber', header: '证件号码', required: false },
  { key: 'legalRepresentative', header: '法定代表人', required: false },
  { key: 'legalRepresentativeIdNumber', header: '法定代表人证件号码', required: false },
  { key: 'reason', header: '列入事由', required: true },
  { key: 'decidedBy', header: '认定部门', required: true },
  { key: 'identificationLevel', header: '认定级别', required: true },
  { key: 'documentNo', header: '认定文号', required: true },
  { key: 'listedAt', header: '列入日期', required: true },
  { key: 'validUntil', header: '有效期至', required: false },
  { key: 'region', header: '行政区划', required: true },
  // notice-first list types: a notice (告知书) already served outside jrp (see PublishEntryDto.notice)
  { key: 'noticeServedOn', header: '告知书送达日期', required: false },
  { key: 'noticeDocumentNo', header: '告知书文号', required: false },
] as const satisfies readonly { key: string; header: string; required: boolean }[];

export type ImportColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];

export interface ImportColumn {
  key: ImportColumnKey;
  header: string;
  required: boolean;
}

/**
 * One data row as read from the file: trimmed cell texts of the recognised columns. A blank cell
 * leaves its key out. `row` is the row number a spreadsheet user sees (the header is row 1 when it
 * is the first line; blank lines count, a quoted CSV field spanning several lines is one row).
 */
export type RawImportRow = { row: number; values: Partial<Record<ImportColumnKey, string>> };

export interface HeaderMatch {
  /** 0-based position of each recognised column in the file's header row. */
  indexOf: Partial<Record<ImportColumnKey, number>>;
  /** Chinese headers of the required columns not found, in template order. */
  missing: string[];
  /** Chinese headers of columns found more than once (ambiguous: which one holds the data?). */
  duplicates: string[];
}

/**
 * Normalises a header cell for comparison: NFKC (full-width letters, spaces and parentheses become
 * ASCII), parenthesised or bracketed notes removed ("有效期至（YYYY-MM-DD）", "统一社会信用代码(选填)"),
 * required-field asterisks and every whitespace dropped.
 */
export function normalizeHeader(header: string): string {
  return (header ?? '')
    .normalize('NFKC')
    .replace(/\([^()]*\)|\[[^[\]]*\]|【[^【】]*】|〔[^〔〕]*〕/g, '')
    .replace(/[\s\u200b\ufeff*※:：]/g, '');
}

const BY_NORMALIZED: ReadonlyMap<string, ImportColumnKey> = new Map(
  IMPORT_COLUMNS.map((c) => [normalizeHeader(c.header), c.key] as [string, ImportColumnKey]),
);

/** Locates the known columns in a header row; unknown headers are ignored. */
export function matchHeaders(headers: string[]): HeaderMatch {
  const indexOf: Partial<Record<ImportColumnKey, number>> = {};
  const duplicated = new Set<ImportColumnKey>();
  headers.forEach((h, i) => {
    const key = BY_NORMALIZED.get(normalizeHeader(String(h ?? '')));
    if (key === undefined) return;
    if (indexOf[key] === undefined) indexOf[key] = i;
    else duplicated.add(key);
  });
  return {
    indexOf,
    missing: IMPORT_COLUMNS.filter((c) => c.required && indexOf[c.key] === undefined).map((c) => c.header),
    duplicates: IMPORT_COLUMNS.filter((c) => duplicated.has(c.key)).map((c) => c.header),
  };
}

/** How many known headers a row carries: used to find the header row below a title row. */
export function countKnownHeaders(cells: string[]): number {
  let n = 0;
  for (const c of cells) if (BY_NORMALIZED.has(normalizeHeader(String(c ?? '')))) n++;
  return n;
}
