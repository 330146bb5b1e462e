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
  /*
   * Notice before listing (notice-first list types, 国办发〔2020〕49号). `notice`: the notice (告知) as served
   * — by jrp on publishing, or outside it (`documentNo`, 告知书文号) —; `statementDeadline`: the last day of
   * the statement period (陈述申辩); `statement`: the subject's statement once recorded; `decision`: the
   * initiating department's decision (listed or withdrawn). All null on entries listed directly.
   */
  notice: EntryNotice | null;
  statementDeadline: string | null;
  statement: EntryStatement | null;
  decision: EntryDecision | null;
}

/** The notice (告知) of an intended listing: the day it was served and, when served outside jrp, its document number. */
export interface EntryNotice {
  servedOn: string;
  documentNo: string | null;
  /** Served by the publisher's own system (a department's case system, a migration), not by jrp. */
  servedOutside: boolean;
}

/** The subject's statement (陈述申辩) on a noticed entry, as the publisher or the office recorded it. */
export interface EntryStatement {
  text: string;
  at: string;
  contact: string | null;
  recordedBy: string;
}

/** The decision on a noticed entry: listed (`decide`) or withdrawn, with how the statement was considered. */
export interface EntryDecision {
  outcome: 'listed' | 'withdrawn';
  at: string;
  reason: string;
  by: string;
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
  noticed: '拟列入',
  withdrawn: '已撤回',
};
export const LEVEL_LABELS: Record<IdentificationLevel, string> = {
  national: '国家级',
  provincial: '省级',
  city: '市级',
};
