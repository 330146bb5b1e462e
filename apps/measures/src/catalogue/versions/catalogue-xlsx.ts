import ExcelJS from 'exceljs';
import { GRADE_LABELS, Grade, GradeRuleData } from '@jrp/contracts';
import { SpreadsheetError, type SpreadsheetLimits, XlsxWorkbook } from '@jrp/spreadsheet';
import {
  CatalogueDocument,
  CatalogueDocumentInput,
  ListTypeDoc,
  MeasureDoc,
  MemorandumDoc,
  normaliseDocument,
} from './catalogue-document';
import {
  BaseListEdition,
  CATALOGUE_LEVEL_LABELS,
  formatBasisItem,
  MeasureSourceInput,
  parseBasisCell,
} from './measure-basis';

/**
 * The catalogue as a workbook with Chinese headers, for the office that works in Excel: sheets 备忘录,
 * 名单类型 and 措施; lists joined with 、; yes/no as 是/否. Reading it back gives the same document.
 */
const YES = '是';
const NO = '否';
const KIND = { punishment: '惩戒', reward: '激励' } as const;
const STATUS = { 'in-force': '有效', expired: '失效' } as const;
const COLOUR = { black: '黑名单', red: '红名单' } as const;
const SUBJECT = { legal: '法人', natural: '自然人' } as const;
const TERM_FROM = { listing: '列入之日', decision: '决定之日' } as const;
const APPLIES = { subject: '主体', 'legal-representative': '法定代表人', both: '主体及法定代表人' } as const;
const PROVINCE_WIDE = '全省';
const PROCEDURE = { direct: '直接列入', 'notice-first': '先告知后列入' } as const;
const REPAIR_PATH = {
  'watch-list-2018': '重点关注（2018）',
  'application-2025': '申请修复（2025）',
  none: '不适用',
} as const;

const invert = <K extends string, V extends string>(o: Record<K, V>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k])) as Record<V, K>;
const join = (xs: string[]) => xs.join('、');
const split = (s: string) =>
  s
    ? s
        .split(/[、,，]/)
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

interface Column<T> {
  header: string;
  width: number;
  write: (x: T) => string | number | null;
  read: (v: string, into: Record<string, unknown>) => void;
  /** A column added after workbooks were first exported: an older workbook without it still imports. */
  optional?: boolean;
}

/** 轻微 0–3、一般 3–12、严重 12–36 (months): a list type's grades and publication periods in one cell. */
const gradesColumn: Column<ListTypeDoc> = {
  header: '失信等级及公示期限（月）',
  width: 36,
  optional: true,
  write: (x) => join(x.grades.map((g) => `${GRADE_LABELS[g.grade]} ${g.minimumMonths}–${g.maximumMonths}`)),
  read: (v, o) => {
    const byLabel = invert(GRADE_LABELS);
    o.grades = split(v).map((item): GradeRuleData => {
      const match = /^(\S+)\s*(\d+)\s*[–-]\s*(\d+)$/.exec(item);
      // an item that does not parse keeps its text as the grade: the draft reports it as an unknown grade
      if (!match) return { grade: item as Grade, minimumMonths: 0, maximumMonths: 0 };
      const grade: string = byLabel[match[1]] ?? match[1];
      return { grade: grade as Grade, minimumMonths: Number(match[2]), maximumMonths: Number(match[3]) };
    });
  },
};
/**
 * 不适用的便利措施: a list type's withheld facilitations, one a line as 编码|名称|依据 (e.g.
 * `notify-commit|不适用告知承诺制|国办发〔2020〕42号`). An empty cell: none; a workbook without the column:
 * the default (告知承诺 and 容缺受理 for a black list).
 */
const withheldColumn: Column<ListTypeDoc> = {
  header: '不适用的便利措施',
  width: 60,
  optional: true,
  write: (x) => x.withheldFacilitations.map((f) => `${f.code}|${f.label}|${f.basis}`).join('\n'),
  read: (v, o) => {
    o.withheldFacilitations = v
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const parts = line.split(/[|｜]/).map((p) => p.trim());
        if (parts.length !== 3 || parts.some((p) => p === ''))
          throw new CatalogueXlsxError(
            `名单类型 ${typeof o.code === 'string' ? o.code : ''}：不适用的便利措施每行应为“编码|名称|依据”：${line}`,
          );
        return { code: parts[0], label: parts[1], basis: parts[2] };
      });
  },
};
const optional = <T>(column: Column<T>): Column<T> => ({ ...column, optional: true });
/** A rule set's enumerated cell: empty leaves the field out (the 2018 path's default). */
const rule = <T, K extends string>(header: string, key: keyof T & string, labels: Record<K, string>): Column<T> => ({
  header,
  width: 16,
  optional: true,
  write: (x) => labels[x[key] as unknown as K] ?? '',
  read: (v, o) => {
    if (v !== '') o[key] = invert(labels)[v] ?? v;
  },
});

const text = <T>(header: string, key: keyof T & string, width = 16): Column<T> => ({
  header,
  width,
  write: (x) => (x[key] as string | null) ?? '',
  read: (v, o) => (o[key] = v === '' ? null : v),
});
const bool = <T>(header: string, key: keyof T & string): Column<T> => ({
  header,
  width: 10,
  write: (x) => (x[key] ? YES : NO),
  read: (v, o) => (o[key] = v === YES),
});
const int = <T>(header: string, key: keyof T & string): Column<T> => ({
  header,
  width: 12,
  write: (x) => (x[key] as number | null) ?? '',
  read: (v, o) => (o[key] = v === '' ? null : Number(v)),
});
const mapped = <T, K extends string>(
  header: string,
  key: keyof T & string,
  labels: Record<K, string>,
  width = 12,
): Column<T> => ({
  header,
  width,
  write: (x) => labels[x[key] as unknown as K],
  read: (v, o) => (o[key] = invert(labels)[v] ?? v),
});
const list = <T>(header: string, key: keyof T & string, labels?: Record<string, string>, width = 24): Column<T> => ({
  header,
  width,
  write: (x) => join((x[key] as unknown as string[]).map((s) => labels?.[s] ?? s)),
  read: (v, o) => (o[key] = split(v).map((s) => (labels ? (invert(labels)[s] ?? s) : s))),
});

const MEMORANDA: Column<MemorandumDoc>[] = [
  text('编码', 'code', 10),
  text('名称', 'name', 60),
  text('文号', 'docNo', 24),
  bool('文号待核实', 'docNoUncertain'),
  int('年份', 'year'),
  mapped('类别', 'kind', KIND),
  mapped('状态', 'status', STATUS),
  text('发起部门', 'initiatingOrganization'),
  int('签署部门数', 'signatoryCount'),
];
const LIST_TYPES: Column<ListTypeDoc>[] = [
  text('编码', 'code', 22),
  text('名称', 'name', 40),
  mapped('颜色', 'colour', COLOUR),
  text('认定部门', 'identifyingOrganization'),
  bool('可信用修复', 'repairable'),
  int('默认有效期（天）', 'defaultValidityDays'),
  list('主体类别', 'subjectKinds', SUBJECT, 16),
  list('备忘录', 'memoranda'),
  rule('列入程序', 'procedure', PROCEDURE),
  rule('修复路径', 'repairPath', REPAIR_PATH),
  gradesColumn,
  rule('默认等级', 'defaultGrade', GRADE_LABELS),
  optional(bool('异议期间暂停措施', 'objectionHoldsMeasures')),
  optional(int('修复决定期限（工作日）', 'repairDecisionWorkingDays')),
  {
    header: '认定依据文件',
    width: 40,
    optional: true,
    write: (x) => x.basis?.document ?? '',
    read: (v, o) => (o.basis = v ? { ...(o.basis as object), document: v } : (o.basis ?? null)),
  },
  {
    header: '认定依据条款',
    width: 16,
    optional: true,
    write: (x) => x.basis?.article ?? '',
    read: (v, o) => (o.basis = v ? { ...(o.basis as object), article: v } : (o.basis ?? null)),
  },
  optional(text('移出条件', 'removalConditions', 40)),
  optional(text('救济途径', 'remedies', 40)),
  withheldColumn,
];
/**
 * A measure's basis and source (issue 19; docs/catalogue.md): 依据 holds the items in the compact form
 * 类型《文件名称》（文号）条款, one a line or separated by ；; 来源 as 备忘录 code, 基础清单 edition and item,
 * and 来源清单 (国家 / 省级 / 市级); 依据待核对 是/否 with 待核对原因. All optional: a workbook exported
 * before them still imports (its punishments then lack a basis, which the draft reports).
 */
const BASIS_COLUMNS: Column<MeasureDoc>[] = [
  {
    header: '依据',
    width: 60,
    optional: true,
    write: (x) => x.basis.map(formatBasisItem).join('\n'),
    read: (v, o) => {
      try {
        o.basis = parseBasisCell(v);
      } catch (error) {
        throw new CatalogueXlsxError(`措施 ${typeof o.code === 'string' ? o.code : ''}：${(error as Error).message}`);
      }
    },
  },
  {
    header: '来源备忘录',
    width: 10,
    optional: true,
    write: (x) => x.source.memorandum ?? '',
    read: (v, o) => (o.source = { ...(o.source as object), memorandum: v || null }),
  },
  {
    header: '基础清单版本',
    width: 12,
    optional: true,
    write: (x) => x.source.baseList?.edition ?? '',
    read: (v, o) => {
      const source = (o.source ?? {}) as MeasureSourceInput;
      o.source = { ...source, baseList: v ? { item: '', ...source.baseList, edition: v as BaseListEdition } : null };
    },
  },
  {
    header: '基础清单序号',
    width: 12,
    optional: true,
    write: (x) => x.source.baseList?.item ?? '',
    read: (v, o) => {
      const source = (o.source ?? {}) as MeasureSourceInput;
      if (v) o.source = { ...source, baseList: { edition: '' as BaseListEdition, ...source.baseList, item: v } };
    },
  },
  {
    header: '来源清单',
    width: 10,
    optional: true,
    write: (x) => CATALOGUE_LEVEL_LABELS[x.source.catalogue],
    read: (v, o) => {
      if (v) o.source = { ...(o.source as object), catalogue: invert(CATALOGUE_LEVEL_LABELS)[v] ?? v };
    },
  },
  optional(bool('依据待核对', 'basisPending')),
  optional(text('待核对原因', 'basisPendingReason', 40)),
];

const MEASURES: Column<MeasureDoc>[] = [
  text('编码', 'code', 10),
  text('措施内容', 'text', 80),
  mapped('类别', 'kind', KIND),
  text('分类', 'category', 24),
  text('备忘录', 'memorandum', 10),
  text('名单类型', 'listType', 22),
  list('实施部门', 'implementingOrganizations', undefined, 36),
  bool('部门对应为推定', 'mappingInferred'),
  {
    // optional since issue 19: a workbook without it (the national base list's) derives it from 依据
    header: '法律依据',
    width: 40,
    optional: true,
    write: (x) => x.legalBasis.join('；'),
    read: (v, o) => (o.legalBasis = v ? v.split('；') : []),
  },
  ...BASIS_COLUMNS,
  mapped('适用对象', 'appliesTo', APPLIES, 16),
  list('主体类别', 'subjectKinds', SUBJECT, 16),
  int('反馈时限（工作日）', 'feedbackDueWorkingDays'),
  // 期限: empty — until the entry leaves the list (older workbooks have neither column)
  optional(int('期限（月）', 'termMonths')),
  {
    header: '期限起算',
    width: 12,
    optional: true,
    write: (x) => (x.termFrom ? TERM_FROM[x.termFrom] : ''),
    read: (v, o) => (o.termFrom = v === '' ? null : ((invert(TERM_FROM) as Record<string, string>)[v] ?? v)),
  },
  bool('需完整身份证号', 'needsFullIdNumber'),
  text('生效日期', 'effectiveFrom', 12),
  text('失效日期', 'effectiveTo', 12),
  {
    header: '适用范围',
    width: 12,
    write: (x) => x.scopeRegion ?? PROVINCE_WIDE,
    read: (v, o) => (o.scopeRegion = v === PROVINCE_WIDE || v === '' ? null : v),
  },
];

const SHEETS = [
  { name: '备忘录', key: 'memoranda', columns: MEMORANDA },
  { name: '名单类型', key: 'listTypes', columns: LIST_TYPES },
  { name: '措施', key: 'measures', columns: MEASURES },
] as const;

export async function catalogueToXlsx(doc: CatalogueDocument, title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.title = title;
  for (const sheet of SHEETS) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const columns = sheet.columns as Column<unknown>[];
    ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: { numFmt: '@' } }));
    ws.getRow(1).font = { bold: true };
    for (const item of doc[sheet.key] as unknown[]) ws.addRow(columns.map((c) => c.write(item)));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The bounds an uploaded catalogue workbook is read within (the same reader as list imports, tighter):
 * the seed catalogue is 10 memoranda, 9 list types and 100 measures, its workbook 30 KB, 300 KB inflated.
 */
export const CATALOGUE_XLSX_LIMITS: Partial<SpreadsheetLimits> = {
  maxWorksheetBytes: 32 * 1024 * 1024,
  maxSharedStringsBytes: 32 * 1024 * 1024,
  maxPartBytes: 8 * 1024 * 1024,
  maxRows: 20_000,
  maxColumns: 256,
};

/** A workbook that is not a catalogue (400), or crosses a bound of {@link CATALOGUE_XLSX_LIMITS} (`tooLarge`: 413). */
export class CatalogueXlsxError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/**
 * The catalogue a workbook holds (sheets 备忘录, 名单类型 and 措施, headers in row 1, in any order), read
 * as a stream within {@link CATALOGUE_XLSX_LIMITS}: a zip bomb, a sheet of a million rows or a cell at
 * column XFD is refused before it costs memory.
 */
export async function catalogueFromXlsx(file: Buffer): Promise<CatalogueDocument> {
  let workbook: XlsxWorkbook;
  try {
    workbook = await XlsxWorkbook.fromBuffer(file, CATALOGUE_XLSX_LIMITS);
  } catch (error) {
    throw catalogueError(error);
  }
  try {
    const sheets = new Set(workbook.worksheets().map((w) => w.name));
    const doc: Record<string, unknown[]> = {};
    for (const sheet of SHEETS) {
      if (!sheets.has(sheet.name)) throw new CatalogueXlsxError(`缺少工作表：${sheet.name}`);
      const columns = sheet.columns as Column<unknown>[];
      let headers: string[] | undefined;
      const items: unknown[] = [];
      for await (const { row, cells } of workbook.rows(sheet.name)) {
        if (headers === undefined) {
          headers = row === 1 ? cells.map((c) => c.trim()) : [];
          missingColumns(sheet.name, columns, headers);
          if (row === 1) continue;
        }
        const item: Record<string, unknown> = {};
        for (const column of columns) {
          const at = headers.indexOf(column.header);
          if (at >= 0 || !column.optional) column.read((cells[at] ?? '').trim(), item);
        }
        // the repair path decides repairable (the older column) when the workbook has it
        if (item.repairPath !== undefined) delete item.repairable;
        if (item.code) items.push(item);
      }
      if (headers === undefined) missingColumns(sheet.name, columns, []);
      doc[sheet.key] = items;
    }
    return normaliseDocument(doc as unknown as CatalogueDocumentInput);
  } catch (error) {
    throw catalogueError(error);
  } finally {
    await workbook.close();
  }
}

function missingColumns(sheet: string, columns: Column<unknown>[], headers: string[]): void {
  const missing = columns.filter((c) => !c.optional && !headers.includes(c.header)).map((c) => c.header);
  if (missing.length) throw new CatalogueXlsxError(`工作表「${sheet}」缺少列：${missing.join('、')}`);
}

function catalogueError(error: unknown): Error {
  if (error instanceof CatalogueXlsxError) return error;
  if (error instanceof SpreadsheetError) return new CatalogueXlsxError(error.message, error.code === 'TOO_LARGE');
  return error as Error;
}
