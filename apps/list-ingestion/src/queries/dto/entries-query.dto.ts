import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ENTRY_STATUSES, EntryStatus } from '@jrp/contracts';

export class EntriesQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) listType?: string;
  @ApiPropertyOptional({ enum: ENTRY_STATUSES }) @IsOptional() @IsIn(ENTRY_STATUSES) status?: EntryStatus;
  @ApiPropertyOptional({ description: 'a division code: the entries of it and of its counties' })
  @IsOptional()
  @Matches(/^\d{6}$/)
  region?: string;
  @ApiPropertyOptional({ description: 'part of the subject’s name, or its whole USCC or ID number' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() after?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class PublicQueryDto {
  @ApiPropertyOptional({ description: 'part of the subject’s name, or its whole USCC' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) listType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() after?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
