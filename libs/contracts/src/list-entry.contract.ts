import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { GRADES, Grade } from './list-rules.contract';

export const SUBJECT_KINDS = ['legal', 'natural'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Who identified the entry (认定级别): needed for the assessment ratios. */
export const IDENTIFICATION_LEVELS = ['national', 'provincial', 'city'] as const;
export type IdentificationLevel = (typeof IDENTIFICATION_LEVELS)[number];

/**
 * Entry statuses: 列入 active, 重点关注 watch, 移出 removed, 到期 expired; on a `notice-first` list type
 * (国办发〔2020〕49号) an entry starts 拟列入 `noticed` (the subject is told, 告知, and may state its case,
 * 陈述申辩) and is then listed (`active`) or 已撤回 `withdrawn` (not listed, terminal). Neither `noticed` nor
 * `withdrawn` is listed: no tasks, not public, not counted.
 */
export const ENTRY_STATUSES = ['active', 'watch', 'removed', 'expired', 'noticed', 'withdrawn'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/**
 * Personal ID numbers travel encrypted (`…Encrypted`, readable by the services holding the data keys,
 * bound to their field) and masked (`…Masked`, for display); never in clear.
 */
export class LegalRepresentativeData {
  @IsString() @IsNotEmpty() name: string;
  @IsOptional() @IsString() idType?: string;
  @IsOptional() @IsString() idNumberMasked?: string;
  @IsOptional() @IsString() idNumberEncrypted?: string;
}

export class SubjectData {
  @IsIn(SUBJECT_KINDS) kind: SubjectKind;
  @IsString() @IsNotEmpty() name: string;
  @IsOptional() @IsString() uscc?: string;
  @IsOptional() @IsString() idType?: string;
  @IsOptional() @IsString() idNumberMasked?: string;
  @IsOptional() @IsString() idNumberEncrypted?: string;
  @IsOptional() @ValidateNested() @Type(() => LegalRepresentativeData) legalRepresentative?: LegalRepresentativeData;
}

/**
 * Every list-entry event carries the entry's full state after the change (event-carried state),
 * so a consumer can rebuild what it needs from the latest version alone and drop stale ones.
 */
export class ListEntryChangedData {
  @IsUUID() entryId: string;
  @IsInt() @Min(1) version: number;
  @IsString() @IsNotEmpty() listType: string;
  @IsIn(ENTRY_STATUSES) status: EntryStatus;
  /** Keyed hash (HMAC-SM3 by default) of the subject's identifier: the message key. */
  @IsString() @IsNotEmpty() subjectKey: string;
  @ValidateNested() @Type(() => SubjectData) subject: SubjectData;
  /** 异议处理中: an objection is pending; departments see it. */
  @IsOptional() @IsBoolean() disputed?: boolean;
  @IsString() reason: string;
  @IsString() decidedBy: string;
  @IsOptional() @IsIn(IDENTIFICATION_LEVELS) identificationLevel?: IdentificationLevel;
  @IsString() documentNo: string;
  /** 涉及金额 in yuan, a decimal string, where the list type has one. */
  @IsOptional() @IsString() amount?: string | null;
  @Matches(/^\d{4}-\d{2}-\d{2}$/) listedAt: string;
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) validUntil?: string | null;
  @Matches(/^\d{6}$/) region: string;
  @IsString() publishedBy: string;
  @IsISO8601() changedAt: string;
  @IsOptional() @IsString() changeReason?: string | null;
  /** Repair records (信用修复): the credit commitment and the training, once recorded. */
  @IsOptional() @IsBoolean() commitmentRecorded?: boolean;
  @IsOptional() @IsBoolean() trainingRecorded?: boolean;
  /*
   * Graded entries (信用修复管理办法 2025; list types whose rule set has grades): the grade, the last day
   * published and the first day repair is possible. Absent on ungraded entries (the 2018 path) and in
   * events from before grades.
   */
  @IsOptional() @IsIn(GRADES) grade?: Grade;
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) publicUntil?: string;
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) repairableFrom?: string;
  /*
   * Notice before listing (notice-first list types, 国办发〔2020〕49号): the last day for the subject's
   * statement (陈述申辩) and whether one was recorded. Absent on entries listed directly.
   */
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) statementDeadline?: string;
  @IsOptional() @IsBoolean() statementRecorded?: boolean;
}

/** Entry statuses that are listed (在列): they carry measures, are counted and may be public. */
export const LISTED_STATUSES: readonly EntryStatus[] = ['active', 'watch', 'removed', 'expired'];
/** Whether an entry was ever listed: not while 拟列入 (`noticed`), nor once withdrawn before listing. */
export const wasListed = (status: EntryStatus) => status !== 'noticed' && status !== 'withdrawn';

/** Where an encrypted ID number lives in a list-entry event: the context it is bound to. */
export const ID_NUMBER_CONTEXT = {
  subject: 'jrp.list-entry.subject.idNumber',
  legalRepresentative: 'jrp.list-entry.legalRepresentative.idNumber',
} as const;
