import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CheckedPerItem } from '@jrp/http';
import { FullPushSafety } from '../removal-limit';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

export const PUBLISH_MODES = ['incremental', 'full'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

/**
 * The safety of a full push (全量推送), shared by batches and imports: a dry run, the removal limit and
 * its confirmation (see `decideRemovalLimit`).
 */
export class FullPushSafetyDto implements FullPushSafety {
  @ApiPropertyOptional({
    default: false,
    description:
      'true: answer what the push would create, update, leave unchanged, reject and (full) remove — counts, ids and document numbers — without changing anything',
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    description:
      'full pushes: the most entries the push may remove without `confirmRemovals`; by default 10 % of the publisher’s entries of the list type (rounded down, at least 1)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  maxRemovals?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description:
      'full pushes: the limit as a share of the publisher’s entries of the list type (ignored with maxRemovals)',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  maxRemovalShare?: number;

  @ApiPropertyOptional({
    minimum: 0,
    description:
      'full pushes: the number of removals the caller expects; equal to the actual number it allows any number, different it refuses the push (409)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  confirmRemovals?: number;
}

/** Up to 10,000 entries; each is validated and stored on its own. */
export class PublishBatchDto extends FullPushSafetyDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'entries shaped like POST /lists/entries, up to 10,000',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @CheckedPerItem() // a bad text in one entry rejects that entry, not the batch
  entries: unknown[];

  @ApiPropertyOptional({
    enum: PUBLISH_MODES,
    default: 'incremental',
    description: 'full: this is the complete current list of `listType`',
  })
  @IsOptional()
  @IsIn(PUBLISH_MODES)
  mode?: PublishMode;

  @ApiPropertyOptional({ description: 'the list type of a full push (required with mode full)' })
  @ValidateIf((b: PublishBatchDto) => b.mode === 'full')
  @IsString()
  @MaxLength(64)
  listType?: string;
}
