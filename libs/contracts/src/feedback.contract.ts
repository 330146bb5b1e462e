import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Min, ValidateNested } from 'class-validator';

/** Outcomes of one measure item: 已实施 implemented, 不适用 not-applicable. */
export const FEEDBACK_OUTCOMES = ['implemented', 'not-applicable'] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];

export class FeedbackItemData {
  @IsString() @IsNotEmpty() measureId: string;
  @IsIn(FEEDBACK_OUTCOMES) outcome: FeedbackOutcome;
  @IsOptional() @IsString() implementedAt?: string | null;
  @IsOptional() @IsString() explanation?: string | null;
}

export class FeedbackRecordedData {
  @IsUUID() feedbackId: string;
  @IsInt() @Min(1) version: number;
  @IsUUID() taskId: string;
  @IsString() @IsNotEmpty() organization: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => FeedbackItemData) items: FeedbackItemData[];
  @IsISO8601() recordedAt: string;
}
