import type { EntryStatus, SubjectKind } from '@jrp/contracts';
import { cityOf } from '@jrp/domain';

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
  /** The list type's rule set: a pending objection (异议) holds its entries' measures (暂停实施). */
  objectionHoldsMeasures?: boolean;
}

export interface EntryForMatching {
  status: EntryStatus;
  region: string;
  subject: { kind: SubjectKind; hasLegalRepresentative: boolean };
}

/** What one implementing organisation must apply to one entry. */
export interface DesiredTask {
  organization: string;
  organizationName: string;
  measures: { id: string; text: string }[];
  /** Feedback is due this many working days after dispatch: the earliest of its measures. */
  dueWorkingDays: number;
}

/** Statuses under which measures apply. A watch-list entry (重点关注) has corrected its behaviour. */
const PUNISHABLE: readonly EntryStatus[] = ['active'];

/** Why a measure does or does not apply to an entry on a date: the matching rules, one by one. */
export function applies(measure: CatalogueMeasure, entry: EntryForMatching, onDate: string): boolean {
  if (!measure.subjectKinds.includes(entry.subject.kind)) return false;
  if (
    measure.appliesTo === 'legal-representative' &&
    !(entry.subject.kind === 'legal' && entry.subject.hasLegalRepresentative)
  )
    return false;
  if (measure.effectiveFrom !== null && onDate < measure.effectiveFrom) return false;
  if (measure.effectiveTo !== null && onDate > measure.effectiveTo) return false;
  if (measure.scopeRegion !== null && cityOf(entry.region) !== measure.scopeRegion) return false;
  return true;
}

/**
 * The tasks an entry implies on a date: its list type's measures that apply, grouped by implementing
 * organisation (one task per organisation), in a stable order. Pure: no I/O.
 */
export function matchMeasures(measures: CatalogueMeasure[], entry: EntryForMatching, onDate: string): DesiredTask[] {
  if (!PUNISHABLE.includes(entry.status)) return [];
  const byOrganization = new Map<string, DesiredTask>();
  for (const measure of measures) {
    if (!applies(measure, entry, onDate)) continue;
    for (const org of measure.implementers) {
      const task = byOrganization.get(org.code) ?? {
        organization: org.code,
        organizationName: org.name,
        measures: [],
        dueWorkingDays: measure.feedbackDueWorkingDays,
      };
      task.measures.push({ id: measure.id, text: measure.text });
      task.dueWorkingDays = Math.min(task.dueWorkingDays, measure.feedbackDueWorkingDays);
      byOrganization.set(org.code, task);
    }
  }
  return [...byOrganization.values()]
    .map((t) => ({ ...t, measures: t.measures.sort((a, b) => a.id.localeCompare(b.id)) }))
    .sort((a, b) => a.organization.localeCompare(b.organization));
}
