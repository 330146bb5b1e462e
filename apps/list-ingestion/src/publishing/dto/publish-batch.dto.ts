import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
} from 'class-validator';

export const PUBLISH_MODES = ['incremental', 'full'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];

/** Up to 10,000 entries; each is validated and stored on its own. */
export class PublishBatchDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'entries shaped like POST /lists/entries, up to 10,000',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
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
