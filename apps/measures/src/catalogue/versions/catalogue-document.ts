import type { SubjectKind } from '@jrp/contracts';

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

export interface ListTypeDoc {
  code: string;
  name: string;
  colour: 'red' | 'black';
  identifyingOrganization: string;
  repairable: boolean;
  defaultValidityDays: number | null;
  subjectKinds: SubjectKind[];
  memoranda: string[];
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
  legalBasis: string[];
  appliesTo: 'subject' | 'legal-representative' | 'both';
  subjectKinds: SubjectKind[];
  feedbackDueWorkingDays: number;
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
  });
  doc.measures.forEach((m, i) => {
    const at = (field: string, message: string) => problems.push({ path: `measures.${i}.${field}`, message });
    if (!memoranda.has(m.memorandum)) at('memorandum', `unknown memorandum ${m.memorandum}`);
    if (!listTypes.has(m.listType)) at('listType', `unknown list type ${m.listType}`);
    if (m.implementingOrganizations.length === 0) at('implementingOrganizations', 'names no implementing organisation');
    m.implementingOrganizations.forEach(
      (o) => organizations.has(o) || at('implementingOrganizations', `unknown organisation ${o}`),
    );
    if (colourOf.get(m.listType) === 'red' && m.kind !== 'reward') at('kind', 'a red list’s measures are rewards');
    if (colourOf.get(m.listType) === 'black' && m.kind !== 'punishment')
      at('kind', 'a black list’s measures are punishments');
    if (!Number.isInteger(m.feedbackDueWorkingDays) || m.feedbackDueWorkingDays < 1 || m.feedbackDueWorkingDays > 60)
      at('feedbackDueWorkingDays', 'must be 1–60 working days');
    if (m.effectiveFrom !== null && !DATE.test(m.effectiveFrom)) at('effectiveFrom', 'must be a date YYYY-MM-DD');
    if (m.effectiveTo !== null && !DATE.test(m.effectiveTo)) at('effectiveTo', 'must be a date YYYY-MM-DD');
    if (m.effectiveFrom && m.effectiveTo && m.effectiveTo < m.effectiveFrom)
      at('effectiveTo', 'is before effectiveFrom');
    if (m.scopeRegion !== null && !cities.has(m.scopeRegion))
      at('scopeRegion', `${m.scopeRegion} is not a city of the province`);
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
export function normaliseDocument(doc: CatalogueDocument): CatalogueDocument {
  const byCode = <T extends Keyed>(xs: T[]) => [...xs].sort((x, y) => x.code.localeCompare(y.code));
  return {
    memoranda: byCode(doc.memoranda),
    listTypes: byCode(doc.listTypes).map((l) => ({
      ...l,
      subjectKinds: [...l.subjectKinds].sort(),
      memoranda: [...l.memoranda].sort(),
    })),
    measures: byCode(doc.measures).map((m) => ({
      ...m,
      implementingOrganizations: [...m.implementingOrganizations].sort(),
      subjectKinds: [...m.subjectKinds].sort(),
    })),
  };
}
