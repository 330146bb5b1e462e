import type { EntryStatus, SubjectKind, WithheldFacilitationData } from '@jrp/contracts';
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
  /** The list type's facilitations withheld while the entry is in force (its rule set; none for a red list). */
  withheldFacilitations: WithheldFacilitationData[];
}

export const FOUND_AS = ['subject', 'legal-representative'] as const;
export type FoundAs = (typeof FOUND_AS)[number];

/** Measures that follow a legal subject's entry to its legal representative (a person checked by ID number). */
const FOR_REPRESENTATIVE: readonly CatalogueMeasure['appliesTo'][] = ['legal-representative', 'both'];

/**
 * A facilitation (便利措施) withheld from the subject: the union over its black-list entries in force of
 * their list types' `withheldFacilitations` (the catalogue's rule set), so a counter system refuses it
 * without a table of its own.
 */
export interface WithheldFacilitation extends WithheldFacilitationData {
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
  return {
    listed: active.length > 0,
    entries: reported,
    active,
    linkable: active.filter((e) => e.foundAs === 'subject' || implied.has(e.entryId)),
    measures: [...measures.values()].sort((a, b) => a.id.localeCompare(b.id)),
    withheldFacilitations: withheldBy(active.filter((e) => e.colour === 'black')),
  };
}

/**
 * The facilitations the black-list entries in force withhold, each once (the first entry's label and
 * basis, by listing), with every entry that withholds it; ordered by code.
 */
function withheldBy(black: SubjectEntry[]): WithheldFacilitation[] {
  const byCode = new Map<string, WithheldFacilitation>();
  for (const entry of black) {
    for (const f of entry.withheldFacilitations ?? []) {
      const known = byCode.get(f.code);
      if (!known) byCode.set(f.code, { code: f.code, label: f.label, basis: f.basis, entryIds: [entry.entryId] });
      else if (!known.entryIds.includes(entry.entryId)) known.entryIds.push(entry.entryId);
    }
  }
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
