/**
 * A measure's basis (依据) and source (来源), issue 19 part 1. Since 国办发〔2020〕49号 a punishment
 * (失信惩戒措施) must rest on a law, a regulation or a central policy document; the national base list
 * (失信惩戒措施基础清单, 2021/2022/2024 editions) is where measures now come from. `basis` (the structured
 * items) is the one source of truth for a measure's legal basis; `legalBasis` keeps the citations as the
 * memorandum worded them, for old readers, and no rule reads it.
 */
export const BASIS_KINDS = [
  'law',
  'administrative-regulation',
  'local-regulation',
  'central-policy',
  'memorandum',
] as const;
export type BasisKind = (typeof BASIS_KINDS)[number];

/** The kinds a punishment may rest on (国办发〔2020〕49号: 法律、法规或者党中央、国务院政策文件). */
export const LEGAL_BASIS_KINDS: readonly BasisKind[] = [
  'law',
  'administrative-regulation',
  'local-regulation',
  'central-policy',
];

/** Chinese labels (the workbook's and the documents'). */
export const BASIS_KIND_LABELS: Record<BasisKind, string> = {
  law: '法律',
  'administrative-regulation': '行政法规',
  'local-regulation': '地方性法规',
  'central-policy': '中央政策文件',
  memorandum: '合作备忘录',
};

export const BASE_LIST_EDITIONS = ['2021', '2022', '2024'] as const;
export type BaseListEdition = (typeof BASE_LIST_EDITIONS)[number];

export const CATALOGUE_LEVELS = ['national', 'provincial', 'city'] as const;
export type CatalogueLevel = (typeof CATALOGUE_LEVELS)[number];

export const CATALOGUE_LEVEL_LABELS: Record<CatalogueLevel, string> = {
  national: '国家',
  provincial: '省级',
  city: '市级',
};

/** One item of a measure's basis: 《document》 number, article (e.g. 《中华人民共和国政府采购法》 第二十二条). */
export interface BasisItem {
  kind: BasisKind;
  document: string;
  number: string | null;
  article: string | null;
}

/** An item as a client writes it: number and article may be left out. */
export type BasisItemInput = Omit<BasisItem, 'number' | 'article'> & {
  number?: string | null;
  article?: string | null;
};

/** Where a measure comes from: a memorandum, an item of the national base list, the catalogue that holds it. */
export interface MeasureSource {
  memorandum: string | null;
  baseList: { edition: BaseListEdition; item: string } | null;
  catalogue: CatalogueLevel;
}

/** A source as a client writes it. */
export type MeasureSourceInput = Partial<MeasureSource>;

/** The basis fields as a client writes them (each may be absent). */
export interface MeasureBasisInput {
  basis?: BasisItemInput[];
  source?: MeasureSourceInput;
  basisPending?: boolean;
  basisPendingReason?: string | null;
}

/** The basis fields of a measure, as a catalogue document holds them (after `legalBasis`). */
export interface MeasureBasisFields {
  basis: BasisItem[];
  source: MeasureSource;
  basisPending: boolean;
  basisPendingReason: string | null;
}

/** Why a measure cannot be published: its code and what it lacks. */
export interface BasisProblem {
  code: string;
  message: string;
}

/** The reason a measure of a version published before structured bases reads with (see `completeLegacyBasis`). */
export const LEGACY_PENDING_REASON =
  '本措施录入于结构化依据之前，法律依据未按类型核对（原文见 legalBasis），待核对失信惩戒措施基础清单';

/**
 * The basis rule (国办发〔2020〕49号), a pure function: a punishment needs an item of kind law,
 * administrative regulation, local regulation or central policy, unless the office marks it
 * `basisPending` with a reason. Rewards need no legal basis (they still carry their source). An item
 * names its document; the pending reason is given exactly when the measure is pending.
 */
export function basisProblems(
  measures: ({ code: string; kind: 'punishment' | 'reward' } & MeasureBasisFields)[],
): BasisProblem[] {
  const problems: BasisProblem[] = [];
  for (const m of measures) {
    const lacks: string[] = [];
    m.basis.forEach((item, i) => {
      if (!BASIS_KINDS.includes(item.kind)) lacks.push(`item ${i + 1}: unknown kind ${String(item.kind)}`);
      if (!item.document?.trim()) lacks.push(`item ${i + 1}: names no document`);
    });
    const legal = m.basis.some((item) => LEGAL_BASIS_KINDS.includes(item.kind) && item.document?.trim());
    const reason = m.basisPendingReason?.trim();
    if (m.kind === 'punishment' && !legal && !m.basisPending)
      lacks.push(
        'a punishment needs a basis of kind law, administrative-regulation, local-regulation or central-policy, or basisPending with a reason',
      );
    if (m.basisPending && !reason) lacks.push('basisPending needs a basisPendingReason');
    if (!m.basisPending && reason) lacks.push('basisPendingReason is given but the measure is not basisPending');
    if (lacks.length) problems.push({ code: m.code, message: lacks.join('; ') });
  }
  return problems;
}

/** A basis item in the workbook's compact form: 法律《中华人民共和国政府采购法》（文号）第二十二条. */
export function formatBasisItem(item: BasisItem): string {
  return `${BASIS_KIND_LABELS[item.kind]}《${item.document}》${item.number ? `（${item.number}）` : ''}${item.article ?? ''}`;
}

const ITEM = /^(法律|行政法规|地方性法规|中央政策文件|合作备忘录)《([^》]+)》(?:（([^）]+)）)?(.*)$/;

/** Reads one compact item; throws with the reason in Chinese when the cell is not in that form. */
export function parseBasisItem(text: string): BasisItem {
  const m = ITEM.exec(text.trim());
  if (!m)
    throw new Error(
      `依据「${text}」应写作 类型《文件名称》（文号）条款，类型为 法律、行政法规、地方性法规、中央政策文件 或 合作备忘录`,
    );
  const kind = (Object.entries(BASIS_KIND_LABELS) as [BasisKind, string][]).find(([, label]) => label === m[1])![0];
  const article = m[4].trim();
  return { kind, document: m[2].trim(), number: m[3]?.trim() || null, article: article || null };
}

/** The items of a workbook cell, one per line or separated by ；. */
export function parseBasisCell(cell: string): BasisItem[] {
  return cell
    .split(/[；\n]/)
    .map((x) => x.trim())
    .filter(Boolean)
    .map(parseBasisItem);
}

/** The citations old readers see as `legalBasis` when a measure is written without them: its items, compact. */
export function legalBasisOf(basis: BasisItemInput[]): string[] {
  return basis.filter((b) => b.kind !== 'memorandum').map((b) => `${b.document}${b.article ?? ''}`);
}

/**
 * A measure written before bases were structured (a published version's document, an old draft): its
 * source is its memorandum in the provincial (or its city's) catalogue; a punishment is `basisPending`
 * with {@link LEGACY_PENDING_REASON}, since its free-text `legalBasis` was never sorted by kind. Nothing
 * is invented: the office confirms each basis by publishing a version.
 */
export function completeLegacyBasis<
  M extends { kind: 'punishment' | 'reward'; memorandum: string; scopeRegion: string | null } & MeasureBasisInput,
>(m: M): M {
  // a measure written since has its basis fields; completeMeasure fills what a client left out
  if (m.basis !== undefined || m.basisPending !== undefined) return m;
  const pending = m.kind === 'punishment';
  return {
    ...m,
    basis: [],
    source: m.source ?? { memorandum: m.memorandum, baseList: null, catalogue: m.scopeRegion ? 'city' : 'provincial' },
    basisPending: pending,
    basisPendingReason: pending ? LEGACY_PENDING_REASON : null,
  };
}
