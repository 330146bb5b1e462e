import type { EntryStatus, SubjectKind } from '@jrp/contracts';
import { cityOf } from '@jrp/domain';
import { measureApplyUntil, TermFrom } from './term';

/** A catalogue measure with its implementing organisations, as matching reads it. */
export interface CatalogueMeasure {
  id: string;
  text: string;
  appliesTo: 'subject' | 'legal-representative' | 'both';
  subjectKinds: SubjectKind[];
  listTypeName: string;
  implementers: { code: string; name: string }[];
  feedbackDueWorkingDays: number;
  /** In force from / to (inclusive calendar dates, Asia/Shanghai); null: always. */
  effectiveFrom: string | null;
  effectiveTo: string | null;
  /** A city's own measure (its code), or null for the provincial catalogue. */
  scopeRegion: string | null;
  /**
   * The measure's term (期限) in months, counted from the listing (`listing`) or the decision date
   * (`decision`); null or absent: until the entry leaves the list (至移出名单).
   */
  termMonths?: number | null;
  termFrom?: TermFrom | null;
  /** The list type's rule set: a pending objection (异议) holds its entries' measures (暂停实施). */
  objectionHoldsMeasures?: boolean;
}

export interface EntryForMatching {
  status: EntryStatus;
  region: string;
  subject: { kind: SubjectKind; hasLegalRepresentative: boolean };
  /** The listing date (the decision's day for a notice-first entry): where measures' terms start. */
  listedAt?: string;
}

/** A measure of a task: with the last day it applies when it has a term. */
export interface TaskMeasure {
  id: string;
  text: string;
  /** 措施期限至: the last day (inclusive, Asia/Shanghai) the measure applies; absent: until removal. */
  applyUntil?: string | null;
}

/** What one implementing organisation must apply to one entry. */
export interface DesiredTask {
  organization: string;
  organizationName: string;
  measures: TaskMeasure[];
  /** Feedback is due this many working days after dispatch: the earliest of its measures. */
  dueWorkingDays: number;
}

/** Statuses under which measures apply. A watch-list entry (重点关注) has corrected its behaviour. */
const PUNISHABLE: readonly EntryStatus[] = ['active'];

/**
 * Why a measure does or does not apply to an entry on a date: the matching rules, one by one. `today`
 * decides whether the measure's own term has run (a listing's `onDate` is its listing date, when no term
 * has run yet); a measure whose term ended on or before yesterday no longer applies.
 */
export function applies(
  measure: CatalogueMeasure,
  entry: EntryForMatching,
  onDate: string,
  today: string | null = onDate,
): boolean {
  if (!measure.subjectKinds.includes(entry.subject.kind)) return false;
  if (
    measure.appliesTo === 'legal-representative' &&
    !(entry.subject.kind === 'legal' && entry.subject.hasLegalRepresentative)
  )
    return false;
  if (measure.effectiveFrom !== null && onDate < measure.effectiveFrom) return false;
  if (measure.effectiveTo !== null && onDate > measure.effectiveTo) return false;
  if (measure.scopeRegion !== null && cityOf(entry.region) !== measure.scopeRegion) return false;
  const until = today === null ? null : measureApplyUntil(measure, entry.listedAt);
  if (until !== null && today! > until) return false;
  return true;
}

/**
 * The tasks an entry implies on a date: its list type's measures that apply, grouped by implementing
 * organisation (one task per organisation), in a stable order; each measure with a term carries its
 * `applyUntil`. `today` (the current Asia/Shanghai date; `onDate` when not given) leaves out measures
 * whose term has run; null leaves terms aside (what the tasks would be but for them). Pure: no I/O.
 */
export function matchMeasures(
  measures: CatalogueMeasure[],
  entry: EntryForMatching,
  onDate: string,
  today: string | null = onDate,
): DesiredTask[] {
  if (!PUNISHABLE.includes(entry.status)) return [];
  const byOrganization = new Map<string, DesiredTask>();
  for (const measure of measures) {
    if (!applies(measure, entry, onDate, today)) continue;
    const applyUntil = measureApplyUntil(measure, entry.listedAt);
    for (const org of measure.implementers) {
      const task = byOrganization.get(org.code) ?? {
        organization: org.code,
        organizationName: org.name,
        measures: [],
        dueWorkingDays: measure.feedbackDueWorkingDays,
      };
      task.measures.push({ id: measure.id, text: measure.text, ...(applyUntil ? { applyUntil } : {}) });
      task.dueWorkingDays = Math.min(task.dueWorkingDays, measure.feedbackDueWorkingDays);
      byOrganization.set(org.code, task);
    }
  }
  return [...byOrganization.values()]
    .map((t) => ({ ...t, measures: t.measures.sort((a, b) => a.id.localeCompare(b.id)) }))
    .sort((a, b) => a.organization.localeCompare(b.organization));
}
