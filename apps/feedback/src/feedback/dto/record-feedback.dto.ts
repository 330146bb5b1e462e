import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { FEEDBACK_OUTCOMES, FeedbackOutcome } from '@jrp/contracts';

export class FeedbackItemDto {
  @ApiProperty({ example: 'M01-04' }) @IsString() @IsNotEmpty() @MaxLength(64) measureId: string;

  @ApiProperty({ enum: FEEDBACK_OUTCOMES, description: 'implemented: 已实施; not-applicable: 不适用' })
  @IsIn(FEEDBACK_OUTCOMES)
  outcome: FeedbackOutcome;

  @ApiPropertyOptional({ example: '2026-11-20' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'implementedAt must be a date YYYY-MM-DD' })
  implementedAt?: string;

  @ApiPropertyOptional({ example: '已限制其参与政府采购' }) @IsOptional() @IsString() @MaxLength(2000) explanation?: string;
}

/** What a department implemented (实施情况反馈) for the measures of one task. */
export class RecordFeedbackDto {
  @ApiProperty() @IsUUID() taskId: string;

  @ApiProperty({ type: [FeedbackItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => FeedbackItemDto)
  items: FeedbackItemDto[];
}
