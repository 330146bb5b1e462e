import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { FEEDBACK_OUTCOMES, FeedbackOutcome } from '@jrp/contracts';

export class FeedbackItemDto {
  @ApiProperty({ example: 'M01-04' }) @IsString() @IsNotEmpty() @MaxLength(64) measureId: string;

  @ApiProperty({
    enum: FEEDBACK_OUTCOMES,
    description: 'implemented 已实施; not-applicable 不适用; no-business 未发生相关业务; in-progress 实施中',
  })
  @IsIn(FEEDBACK_OUTCOMES)
  outcome: FeedbackOutcome;

  @ApiPropertyOptional({
    example: '2026-11-20',
    description: 'required when implemented, and only then; not in the future',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'implementedAt must be a date YYYY-MM-DD' })
  implementedAt?: string;

  @ApiPropertyOptional({ example: '政府采购', description: '业务类型' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  businessType?: string;

  @ApiPropertyOptional({
    example: '120000.50',
    description: '涉及金额 in yuan: a decimal string, at most two decimals',
  })
  @IsOptional()
  @Matches(/^(0|[1-9]\d{0,15})(\.\d{1,2})?$/, {
    message: 'amount must be a non-negative decimal in yuan with at most two decimals, as a string',
  })
  amount?: string;

  @ApiPropertyOptional({ example: '已限制其参与政府采购' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  explanation?: string;
}

class FeedbackItemsDto {
  @ApiProperty({ type: [FeedbackItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => FeedbackItemDto)
  items: FeedbackItemDto[];
}

/** What a department implemented (实施情况反馈) for the measures of one task. */
export class RecordFeedbackDto extends FeedbackItemsDto {
  @ApiProperty() @IsUUID() taskId: string;
}

/** A correction (更正): the feedback's items as they should be, and why. */
export class CorrectFeedbackDto extends FeedbackItemsDto {
  @ApiProperty({ example: '金额填报有误' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

/** A cancellation (作废): the feedback stops counting; its history stays. */
export class CancelFeedbackDto {
  @ApiProperty({ example: '误报' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
