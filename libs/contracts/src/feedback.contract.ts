import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * Outcomes of one measure item: 已实施 implemented, 不适用 not-applicable, 未发生相关业务 no-business
 * (the subject did no business with the department), 实施中 in-progress. Every outcome but in-progress
 * is final (see FINAL_OUTCOMES and docs/reports.md).
 */
export const FEEDBACK_OUTCOMES = ['implemented', 'not-applicable', 'no-business', 'in-progress'] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];

/** Outcomes that close a measure item: a task is fed back (已反馈) when every item has one. */
export const FINAL_OUTCOMES: readonly FeedbackOutcome[] = ['implemented', 'not-applicable', 'no-business'];

export class FeedbackItemData {
  @IsString() @IsNotEmpty() measureId: string;
  @IsIn(FEEDBACK_OUTCOMES) outcome: FeedbackOutcome;
  @IsOptional() @IsString() implementedAt?: string | null;
  /** The business the measure was applied in (业务类型), e.g. 政府采购. */
  @IsOptional() @IsString() businessType?: string | null;
  /** 涉及金额 in yuan, a decimal string. */
  @IsOptional() @IsString() amount?: string | null;
  @IsOptional() @IsString() explanation?: string | null;
}

/**
 * One version of a feedback record: `jrp.feedback.recorded` carries version 1, each
 * `jrp.feedback.corrected` a later version with every item of that version (and the reason).
 */
export class FeedbackRecordedData {
  @IsUUID() feedbackId: string;
  @IsInt() @Min(1) version: number;
  @IsUUID() taskId: string;
  @IsString() @IsNotEmpty() organization: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => FeedbackItemData) items: FeedbackItemData[];
  /** When this version was recorded. */
  @IsISO8601() recordedAt: string;
  /** Why it was corrected (更正原因); absent on the first version. */
  @IsOptional() @IsString() reason?: string | null;
}

/** A feedback record was cancelled (作废): it no longer counts, its history stays. */
export class FeedbackCancelledData {
  @IsUUID() feedbackId: string;
  @IsInt() @Min(1) version: number;
  @IsUUID() taskId: string;
  @IsString() @IsNotEmpty() organization: string;
  @IsString() @IsNotEmpty() reason: string;
  @IsISO8601() cancelledAt: string;
}
