import type { EntryStatus, SubjectKind } from '@jrp/contracts';
import { CatalogueMeasure, matchMeasures } from '../matching/match-measures';
import { reassignMeasures, Reassignment } from '../matching/reassign-measures';

/** One of the subject's entries as measures keeps it (entry_states), with its list type. */
export interface SubjectEntry {
  entryId: string;
  listType: string;
  listTypeName: string;
  colour: 'red' | 'black' | null;
  status: EntryStatus;
  disputed: boolean;
  listedAt: string;
  validUntil: string | null;
  region: string;
  subjectKind: SubjectKind;
  hasLegalRepresentative: boolean;
  /** How the checked subject was found: as the entry's subject, or as its legal representative (法定代表人). */
  foundAs: FoundAs;
}

export const FOUND_AS = ['subject', 'legal-representative'] as const;
export type FoundAs = (typeof FOUND_AS)[number];

/** Measures that follow a legal subject's entry to its legal representative (a person checked by ID number). */
const FOR_REPRESENTATIVE: readonly CatalogueMeasure['appliesTo'][] = ['legal-representative', 'both'];

/**
 * Facilitations (便利措施) a subject with a black-list entry in force (失信主体) may not use: a counter
 * system refuses them without a table of its own. General rules, not one memorandum's measure.
 */
export const WITHHELD_FACILITATIONS = [
  {
    code: 'notify-commit',
    label: '不适用告知承诺制',
    basis: '国务院办公厅关于全面推行证明事项告知承诺制的指导意见（国办发〔2020〕42号）',
  },
  {
    code: 'tolerance-acceptance',
    label: '不适用容缺受理',
    basis: '国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见（国发〔2016〕33号）',
  },
] as const;

export interface WithheldFacilitation {
  code: (typeof WITHHELD_FACILITATIONS)[number]['code'];
  label: string;
  basis: string;
  /** The black-list entries in force that withhold it. */
  entryIds: string[];
}

/**
 * What a check reports: entries 列入 (active) and 重点关注 (watch). Only active ones count as listed and
 * carry measures, as in matching; the watch list is shown so the counter knows, removed (移出) and expired
 * (到期) entries are history and are not shown.
 */
export const REPORTED_STATUSES: readonly EntryStatus[] = ['active', 'watch'];

/** The caller's measures for the entries in force, each once, with the entries that imply it. */
export interface CheckMeasure {
  id: string;
  text: string;
  listType: string;
  entryIds: string[];
}

export interface CheckAnswer {
  listed: boolean;
  /** The entries reported, oldest listing first. */
  entries: SubjectEntry[];
  /** The reported entries in force (列入): measures apply. */
  active: SubjectEntry[];
  /**
   * The entries in force whose tasks of the caller a check links: those of the subject itself; one found
   * through the person's role as legal representative only where a measure of the caller follows it
   * there (the company's own task is not the person's business).
   */
  linkable: SubjectEntry[];
  measures: CheckMeasure[];
  /** For a black-list entry in force: the facilitations withheld (e.g. 告知承诺 not applicable). */
  withheldFacilitations: WithheldFacilitation[];
}

/**
 * Whether an entry counts on `today` (Asia/Shanghai date): a reported status, and its validity not yet
 * over (validUntil is inclusive; an entry past it is expired even before list-ingestion says so).
 */
export function isReported(entry: SubjectEntry, today: string): boolean {
  return REPORTED_STATUSES.includes(entry.status) && (entry.validUntil === null || entry.validUntil >= today);
}

/**
 * The answer to a counter check, from the subject's entries and the catalogue: listed or not, the entries
 * to show, and the caller's own applicable measures (the matching rules on `today`, after the office's
 * reassignments of each entry). An entry found through the person's role as legal representative gives
 * only the measures that apply to legal representatives (`appliesTo` legal-representative or both).
 * Pure: no I/O.
 */
export function answerCheck(
  entries: SubjectEntry[],
  organization: string,
  today: string,
  catalogue: ReadonlyMap<string, CatalogueMeasure[]>,
  reassignments: ReadonlyMap<string, Reassignment[]>,
): CheckAnswer {
  const reported = entries
    .filter((e) => isReported(e, today))
    .sort((a, b) => a.listedAt.localeCompare(b.listedAt) || a.entryId.localeCompare(b.entryId));
  const active = reported.filter((e) => e.status === 'active');
  const measures = new Map<string, CheckMeasure>();
  for (const entry of active) {
    const desired = matchMeasures(
      reassignMeasures(catalogue.get(entry.listType) ?? [], reassignments.get(entry.entryId) ?? []).filter(
        (m) => entry.foundAs === 'subject' || FOR_REPRESENTATIVE.includes(m.appliesTo),
      ),
      {
        status: entry.status,
        region: entry.region,
        subject: { kind: entry.subjectKind, hasLegalRepresentative: entry.hasLegalRepresentative },
        listedAt: entry.listedAt, // a measure whose term (期限) has run is no longer to be applied
      },
      today,
    );
    for (const m of desired.find((t) => t.organization === organization)?.measures ?? []) {
      const known = measures.get(m.id);
      if (known) known.entryIds.push(entry.entryId);
      else measures.set(m.id, { id: m.id, text: m.text, listType: entry.listType, entryIds: [entry.entryId] });
    }
  }
  const implied = new Set([...measures.values()].flatMap((m) => m.entryIds));
  const blackIds = active.filter((e) => e.colour === 'black').map((e) => e.entryId);
  return {
    listed: active.length > 0,
    entries: reported,
    active,
    linkable: active.filter((e) => e.foundAs === 'subject' || implied.has(e.entryId)),
    measures: [...measures.values()].sort((a, b) => a.id.localeCompare(b.id)),
    withheldFacilitations:
      blackIds.length === 0 ? [] : WITHHELD_FACILITATIONS.map((f) => ({ ...f, entryIds: blackIds })),
  };
}
