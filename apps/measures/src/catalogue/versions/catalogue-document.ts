import { TERM_FROMS, TermFrom } from '../../matching/term';
import {
  FACILITATION_CODE,
  GRADES,
  LISTING_PROCEDURES,
  listTypeRules,
  ListTypeRules,
  REPAIR_PATHS,
  SubjectKind,
} from '@jrp/contracts';
import { BasisItem, legalBasisOf, MeasureBasisFields, MeasureBasisInput, MeasureSource } from './measure-basis';

/** A whole catalogue (联合奖惩措施清单) as one document: what a version keeps, the draft edits, JSON and XLSX carry. */
export interface MemorandumDoc {
  code: string;
  name: string;
  docNo: string | null;
  docNoUncertain: boolean;
  year: number | null;
  kind: 'punishment' | 'reward';
  status: 'in-force' | 'expired';
  initiatingOrganization: string;
  signatoryCount: number | null;
}

/**
 * A list type with its rule set (list-rules.contract.ts). Documents from before rule sets lack the rule
 * fields: `normaliseDocument` completes them from `repairable` (the 2018 path), so old versions still read.
 */
export interface ListTypeDoc extends ListTypeRules {
  code: string;
  name: string;
  colour: 'red' | 'black';
  identifyingOrganization: string;
  /** Kept for old clients and events: true exactly when `repairPath` is not `none`. */
  repairable: boolean;
  defaultValidityDays: number | null;
  subjectKinds: SubjectKind[];
  memoranda: string[];
}

/** A list type as a client or an old document may write it: `repairable` or the rule fields may be absent. */
export type ListTypeInput = Omit<ListTypeDoc, 'repairable' | keyof ListTypeRules> &
  Partial<ListTypeRules> & { repairable?: boolean };

/** A list type completed: the rule set's defaults where fields are absent; `repairable` from `repairPath` when absent. */
export function completeListType(l: ListTypeInput): ListTypeDoc {
  const rules = listTypeRules(l);
  return {
    ...l,
    ...rules,
    grades: [...rules.grades].sort((a, b) => GRADES.indexOf(a.grade) - GRADES.indexOf(b.grade)),
    repairable: l.repairable ?? rules.repairPath !== 'none',
  };
}

export interface MeasureDoc {
  code: string;
  text: string;
  kind: 'punishment' | 'reward';
  category: string | null;
  memorandum: string;
  listType: string;
  implementingOrganizations: string[];
  mappingInferred: boolean;
  /** The citations as the memorandum worded them (old readers); `basis` is the source of truth. */
  legalBasis: string[];
  /** 依据: structured items (measure-basis.ts); a punishment needs one of a legal kind or `basisPending`. */
  basis: BasisItem[];
  /** 来源: memorandum, national base list item, catalogue level. */
  source: MeasureSource;
  /** The basis is still to be confirmed (待核对); `basisPendingReason` says why. */
  basisPending: boolean;
  basisPendingReason: string | null;
  appliesTo: 'subject' | 'legal-representative' | 'both';
  subjectKinds: SubjectKind[];
  feedbackDueWorkingDays: number;
  /**
   * 期限: the measure lasts this many months from the entry's listing (`listing`) or the decision date
   * (`decision`) — both null: until the entry leaves the list (至移出名单). Documents from before terms
   * lack both: `normaliseDocument` completes them as null.
   */
  termMonths: number | null;
  termFrom: TermFrom | null;
  needsFullIdNumber: boolean;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** A city's own measure (its division code); null: the provincial catalogue. */
  scopeRegion: string | null;
}

export interface CatalogueDocument {
  memoranda: MemorandumDoc[];
  listTypes: ListTypeDoc[];
  measures: MeasureDoc[];
}

/** A measure as a client writes it: the basis fields may be absent (no basis, not pending); `legalBasis` then from `basis`. */
export type MeasureInput = Omit<MeasureDoc, keyof MeasureBasisFields | 'legalBasis'> &
  MeasureBasisInput & { legalBasis?: string[] };

/** A measure completed: no basis and not pending when absent (so the basis rule refuses a bare punishment). */
export function completeMeasure(m: MeasureInput): MeasureDoc {
  const basis = m.basis ?? [];
  return {
    ...m,
    legalBasis: m.legalBasis ?? legalBasisOf(basis),
    basis: basis.map((b) => ({
      kind: b.kind,
      document: b.document,
      number: b.number ?? null,
      article: b.article ?? null,
    })),
    source: {
      memorandum: m.source?.memorandum ?? null,
      baseList: m.source?.baseList ?? null,
      catalogue: m.source?.catalogue ?? (m.scopeRegion ? 'city' : 'provincial'),
    },
    basisPending: m.basisPending ?? false,
    basisPendingReason: m.basisPendingReason ?? null,
  };
}

/** A document as written before rule sets, or by a client that leaves them out: list types completed on normalisation. */
export type CatalogueDocumentInput = Omit<CatalogueDocument, 'listTypes' | 'measures'> & {
  listTypes: ListTypeInput[];
  measures: MeasureInput[];
};

export interface DocumentProblem {
  path: string;
  message: string;
}

const CODE = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What makes a document publishable: unique codes, every reference resolved, consistent kinds and dates. */
export function documentProblems(
  doc: CatalogueDocument,
  organizations: Set<string>,
  cities: Set<string>,
): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const unique = (items: { code: string }[], path: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (!CODE.test(item.code))
        problems.push({ path: `${path}.${i}.code`, message: `${item.code} is not a valid code` });
      if (seen.has(item.code)) problems.push({ path: `${path}.${i}.code`, message: `${item.code} appears twice` });
      seen.add(item.code);
    });
    return seen;
  };
  const memoranda = unique(doc.memoranda, 'memoranda');
  const listTypes = unique(doc.listTypes, 'listTypes');
  unique(doc.measures, 'measures');
  doc.memoranda.forEach((m, i) => {
    if (!organizations.has(m.initiatingOrganization))
      problems.push({
        path: `memoranda.${i}.initiatingOrganization`,
        message: `unknown organisation ${m.initiatingOrganization}`,
      });
  });
  const colourOf = new Map(doc.listTypes.map((l) => [l.code, l.colour]));
  doc.listTypes.forEach((l, i) => {
    if (!organizations.has(l.identifyingOrganization))
      problems.push({
        path: `listTypes.${i}.identifyingOrganization`,
        message: `unknown organisation ${l.identifyingOrganization}`,
      });
    l.memoranda.forEach(
      (code) =>
        memoranda.has(code) ||
        problems.push({ path: `listTypes.${i}.memoranda`, message: `unknown memorandum ${code}` }),
    );
    if (l.subjectKinds.length === 0)
      problems.push({ path: `listTypes.${i}.subjectKinds`, message: 'lists no subject kind' });
    problems.push(...ruleSetProblems(l).map((p) => ({ path: `listTypes.${i}.${p.path}`, message: p.message })));
  });
  doc.measures.forEach((m, i) => {
    const at = (field: string, message: string) => problems.push({ path: `measures.${i}.${field}`, message });
    if (!memoranda.has(m.memorandum)) at('memorandum', `unknown memorandum ${m.memorandum}`);
    if (!listTypes.has(m.listType)) at('listType', `unknown list type ${m.listType}`);
    if (m.source.memorandum && !memoranda.has(m.source.memorandum))
      at('source.memorandum', `unknown memorandum ${m.source.memorandum}`);
    if (m.source.catalogue === 'city' && m.scopeRegion === null)
      at('source.catalogue', 'a city catalogue’s measure is scoped to its city (scopeRegion)');
    if (m.implementingOrganizations.length === 0) at('implementingOrganizations', 'names no implementing organisation');
    m.implementingOrganizations.forEach(
      (o) => organizations.has(o) || at('implementingOrganizations', `unknown organisation ${o}`),
    );
    if (colourOf.get(m.listType) === 'red' && m.kind !== 'reward') at('kind', 'a red list’s measures are rewards');
    if (colourOf.get(m.listType) === 'black' && m.kind !== 'punishment')
      at('kind', 'a black list’s measures are punishments');
    if (!Number.isInteger(m.feedbackDueWorkingDays) || m.feedbackDueWorkingDays < 1 || m.feedbackDueWorkingDays > 60)
      at('feedbackDueWorkingDays', 'must be 1–60 working days');
    if (m.termMonths !== null && (!Number.isInteger(m.termMonths) || m.termMonths < 1 || m.termMonths > 1200))
      at('termMonths', 'must be 1–1200 months, or null (until removal)');
    if (m.termMonths !== null && !TERM_FROMS.includes(m.termFrom as TermFrom))
      at('termFrom', 'must be listing or decision for a measure with a term');
    if (m.termMonths === null && m.termFrom !== null) at('termFrom', 'must be null for a measure without a term');
    if (m.effectiveFrom !== null && !DATE.test(m.effectiveFrom)) at('effectiveFrom', 'must be a date YYYY-MM-DD');
    if (m.effectiveTo !== null && !DATE.test(m.effectiveTo)) at('effectiveTo', 'must be a date YYYY-MM-DD');
    if (m.effectiveFrom && m.effectiveTo && m.effectiveTo < m.effectiveFrom)
      at('effectiveTo', 'is before effectiveFrom');
    if (m.scopeRegion !== null && !cities.has(m.scopeRegion))
      at('scopeRegion', `${m.scopeRegion} is not a city of the province`);
  });
  return problems;
}

/**
 * What makes a list type's rule set inconsistent: a red list has no repair and no grades; a list repaired
 * on application (信用修复管理办法 2025) grades its entries; each grade once, its minimum within its
 * maximum; the default grade one of them; `repairable` agreeing with `repairPath`; a red list withholds
 * no facilitation, a black list each facilitation once.
 */
export function ruleSetProblems(l: ListTypeDoc): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const at = (path: string, message: string) => problems.push({ path, message });
  if (!LISTING_PROCEDURES.includes(l.procedure)) at('procedure', `unknown procedure ${String(l.procedure)}`);
  if (!REPAIR_PATHS.includes(l.repairPath)) at('repairPath', `unknown repair path ${String(l.repairPath)}`);
  if (l.repairable !== (l.repairPath !== 'none'))
    at('repairable', `repairable ${l.repairable} contradicts repairPath ${l.repairPath}`);
  if (l.colour === 'red' && l.repairPath !== 'none') at('repairPath', 'a red list has no credit repair: none');
  if (l.colour === 'red' && l.grades.length > 0) at('grades', 'a red list does not grade dishonesty');
  if (l.repairPath === 'application-2025' && l.grades.length === 0)
    at('grades', 'a list repaired on application (2025) grades its entries: name at least one grade');
  const seen = new Set<string>();
  l.grades.forEach((g, j) => {
    if (!GRADES.includes(g.grade)) at(`grades.${j}.grade`, `unknown grade ${String(g.grade)}`);
    if (seen.has(g.grade)) at(`grades.${j}.grade`, `${g.grade} appears twice`);
    seen.add(g.grade);
    const months = (n: number) => Number.isInteger(n) && n >= 0 && n <= 1200;
    if (!months(g.minimumMonths)) at(`grades.${j}.minimumMonths`, 'must be 0–1200 months');
    if (!months(g.maximumMonths) || g.maximumMonths < 1) at(`grades.${j}.maximumMonths`, 'must be 1–1200 months');
    if (g.minimumMonths > g.maximumMonths) at(`grades.${j}.minimumMonths`, 'is longer than the maximum');
  });
  if (l.grades.length > 0 && (l.defaultGrade === null || !seen.has(l.defaultGrade)))
    at('defaultGrade', 'must be one of the list type’s grades');
  if (l.grades.length === 0 && l.defaultGrade !== null) at('defaultGrade', 'the list type grades nothing');
  if (l.colour === 'red' && l.withheldFacilitations.length > 0)
    at('withheldFacilitations', 'a red list withholds no facilitation');
  const codes = new Set<string>();
  l.withheldFacilitations.forEach((f, j) => {
    if (!FACILITATION_CODE.test(f.code))
      at(`withheldFacilitations.${j}.code`, `must match ${FACILITATION_CODE.source}`);
    if (codes.has(f.code)) at(`withheldFacilitations.${j}.code`, `${f.code} appears twice`);
    codes.add(f.code);
  });
  return problems;
}

type Keyed = { code: string };
export interface CollectionDiff<T extends Keyed> {
  added: T[];
  removed: T[];
  changed: { code: string; fields: string[]; before: T; after: T }[];
}

function diffCollection<T extends Keyed>(a: T[], b: T[]): CollectionDiff<T> {
  const before = new Map(a.map((x) => [x.code, x]));
  const after = new Map(b.map((x) => [x.code, x]));
  const changed: CollectionDiff<T>['changed'] = [];
  for (const [code, next] of after) {
    const prev = before.get(code);
    if (!prev) continue;
    const fields = Object.keys({ ...prev, ...next }).filter(
      (k) =>
        JSON.stringify((prev as Record<string, unknown>)[k]) !== JSON.stringify((next as Record<string, unknown>)[k]),
    );
    if (fields.length) changed.push({ code, fields, before: prev, after: next });
  }
  return { added: b.filter((x) => !before.has(x.code)), removed: a.filter((x) => !after.has(x.code)), changed };
}

/** What changed from one document to another, per collection, by code. */
export function diffDocuments(a: CatalogueDocument, b: CatalogueDocument) {
  return {
    memoranda: diffCollection(a.memoranda, b.memoranda),
    listTypes: diffCollection(a.listTypes, b.listTypes),
    measures: diffCollection(a.measures, b.measures),
  };
}

/** Sorted by code, so equal catalogues are equal documents. */
export function normaliseDocument(doc: CatalogueDocumentInput): CatalogueDocument {
  const byCode = <T extends Keyed>(xs: T[]) => [...xs].sort((x, y) => x.code.localeCompare(y.code));
  return {
    memoranda: byCode(doc.memoranda),
    listTypes: byCode(doc.listTypes).map((l) => ({
      ...completeListType(l),
      subjectKinds: [...l.subjectKinds].sort(),
      memoranda: [...l.memoranda].sort(),
    })),
    measures: byCode(doc.measures).map((m) => ({
      ...completeMeasure(m),
      termMonths: m.termMonths ?? null,
      // a term counts from the listing unless it says otherwise; no term, no start
      termFrom: m.termMonths == null ? (m.termFrom ?? null) : (m.termFrom ?? 'listing'),
      implementingOrganizations: [...m.implementingOrganizations].sort(),
      subjectKinds: [...m.subjectKinds].sort(),
    })),
  };
}
