import type { EntryStatus, Grade, IdentificationLevel, SubjectKind } from '@jrp/contracts';

/** A red or black list entry (红黑名单条目) as list-ingestion stores it. ID numbers only encrypted and masked. */
export interface Entry {
  id: string;
  seq?: string;
  version: number;
  listType: string;
  status: EntryStatus;
  disputed: boolean;
  subjectKey: string;
  subjectKind: SubjectKind;
  subjectName: string;
  subjectUscc: string | null;
  subjectIdType: string | null;
  subjectIdNumberEncrypted: string | null;
  subjectIdNumberMasked: string | null;
  legalRepName: string | null;
  legalRepIdType: string | null;
  legalRepIdNumberEncrypted: string | null;
  legalRepIdNumberMasked: string | null;
  reason: string;
  decidedBy: string;
  identificationLevel: IdentificationLevel;
  documentNo: string;
  listedAt: string;
  validUntil: string | null;
  amount: string | null;
  region: string;
  publishedBy: string;
  commitment: { text: string; at: string } | null;
  training: { provider: string; hours: number; at: string } | null;
  /** 失信等级 where the list type grades its entries (信用修复管理办法 2025); null otherwise. */
  grade: Grade | null;
  /** The last day the entry is published (inclusive); null: publication follows the status alone. */
  publicUntil: string | null;
  /** The first day a repair is accepted (the grade's minimum period passed); null: no waiting period. */
  repairableFrom: string | null;
}

/** The fields a correction (PATCH) or a re-publish may change; identity fields excluded. */
export const CORRECTABLE_FIELDS = [
  'subjectName',
  'legalRepName',
  'legalRepIdType',
  'legalRepIdNumberEncrypted',
  'legalRepIdNumberMasked',
  'reason',
  'decidedBy',
  'identificationLevel',
  'listedAt',
  'validUntil',
  'amount',
  'region',
  'grade',
  'publicUntil',
  'repairableFrom',
] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/**
 * The correctable fields that differ. The legal representative's ID number is compared by the caller
 * (`sameRepresentativeId`): ciphertexts differ each time, and masked forms hide the differences.
 */
export function changedFields(before: Entry, after: Entry): CorrectableField[] {
  return CORRECTABLE_FIELDS.filter(
    (f) =>
      f !== 'legalRepIdNumberEncrypted' && f !== 'legalRepIdNumberMasked' && (before[f] ?? null) !== (after[f] ?? null),
  );
}

export const STATUS_LABELS: Record<EntryStatus, string> = {
  active: '列入',
  watch: '重点关注',
  removed: '已移出',
  expired: '已到期',
};
export const LEVEL_LABELS: Record<IdentificationLevel, string> = {
  national: '国家级',
  provincial: '省级',
  city: '市级',
};
