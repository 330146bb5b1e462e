import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { PUBLISH_MODES, PublishMode } from '../../publishing/dto/publish-batch.dto';

/** The form fields of an import besides `file` (multipart/form-data). */
export class ImportRequestDto {
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
