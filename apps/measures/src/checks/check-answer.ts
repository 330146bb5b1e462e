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
  /** The reported entries in force (列入): measures apply, the caller's tasks are linked. */
  active: SubjectEntry[];
  measures: CheckMeasure[];
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
 * reassignments of each entry). Pure: no I/O.
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
      reassignMeasures(catalogue.get(entry.listType) ?? [], reassignments.get(entry.entryId) ?? []),
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
  return {
    listed: active.length > 0,
    entries: reported,
    active,
    measures: [...measures.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
