import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
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
import { FullPushSafetyDto, PUBLISH_MODES, PublishMode } from '../../publishing/dto/publish-batch.dto';

/** A form field as a boolean ('true' / 'false'); anything else stays as it is (and is refused). */
const formBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
/** A form field as a number when it is one ('10', '0.25'); anything else stays as it is (and is refused). */
const formNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,10}(\.\d{1,6})?$/.test(value) ? Number(value) : value;

/** The form fields of an import besides `file` (multipart/form-data); full imports have a dry run and a removal limit. */
export class ImportRequestDto implements FullPushSafetyDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'true: run the import without changing anything; the job counts what it would do',
  })
  @Transform(formBoolean)
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    description:
      'full imports: the most entries it may remove without confirmRemovals; by default 10 % of the publisher’s entries of the list type (rounded down, at least 1)',
  })
  @Transform(formNumber)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  maxRemovals?: number;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    maximum: 1,
    description:
      'full imports: the limit as a share of the publisher’s entries of the list type (ignored with maxRemovals)',
  })
  @Transform(formNumber)
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  maxRemovalShare?: number;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    description:
      'full imports: the number of removals expected; equal to the actual number it allows any number, different it refuses the import',
  })
  @Transform(formNumber)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  confirmRemovals?: number;

  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'CSV (UTF-8 or GB18030) or XLSX with the template’s Chinese headers',
  })
  @IsOptional()
  file?: unknown;

  @ApiPropertyOptional({
    enum: PUBLISH_MODES,
    default: 'incremental',
    description: 'full: the file is the complete current list of `listType`',
  })
  @IsOptional()
  @IsIn(PUBLISH_MODES)
  mode?: PublishMode;

  @ApiPropertyOptional({ description: 'the list type of a full import (required with mode full)' })
  @ValidateIf((d: ImportRequestDto) => d.mode === 'full')
  @IsString()
  @MaxLength(64)
  listType?: string;
}
