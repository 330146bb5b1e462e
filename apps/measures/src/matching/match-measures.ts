import type { EntryStatus, SubjectKind } from '@jrp/contracts';

/** A catalogue measure with its implementing organisations, as matching reads it. */
export interface CatalogueMeasure {
  id: string;
  text: string;
  appliesTo: 'subject' | 'legal-representative' | 'both';
  subjectKinds: SubjectKind[];
  listTypeName: string;
  implementers: { code: string; name: string }[];
}

export interface EntryForMatching {
  status: EntryStatus;
  subject: { kind: SubjectKind; legalRepresentative?: { name: string } | null };
}

/** What one implementing organisation must apply to one entry. */
export interface DesiredTask {
  organization: string;
  organizationName: string;
  measures: { id: string; text: string }[];
}

/** Statuses under which measures apply. A watch-list entry (重点关注) has corrected its behaviour. */
const PUNISHABLE: readonly EntryStatus[] = ['active'];

/**
 * The tasks an entry implies: its list type's measures that fit the subject, grouped by implementing
 * organisation (one task per organisation), in a stable order. Pure: no I/O.
 */
export function matchMeasures(measures: CatalogueMeasure[], entry: EntryForMatching): DesiredTask[] {
  if (!PUNISHABLE.includes(entry.status)) return [];
  const byOrganization = new Map<string, DesiredTask>();
  for (const measure of measures) {
    if (!measure.subjectKinds.includes(entry.subject.kind)) continue;
    if (measure.appliesTo === 'legal-representative' && !(entry.subject.kind === 'legal' && entry.subject.legalRepresentative)) continue;
    for (const org of measure.implementers) {
      const task = byOrganization.get(org.code) ?? { organization: org.code, organizationName: org.name, measures: [] };
      task.measures.push({ id: measure.id, text: measure.text });
      byOrganization.set(org.code, task);
    }
  }
  return [...byOrganization.values()]
    .map((t) => ({ ...t, measures: t.measures.sort((a, b) => a.id.localeCompare(b.id)) }))
    .sort((a, b) => a.organization.localeCompare(b.organization));
}
