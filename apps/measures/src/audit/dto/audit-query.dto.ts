import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'organisation code of the actor' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  organization?: string;
  @ApiPropertyOptional({ example: 'list-entry.publish' }) @IsOptional() @IsString() @MaxLength(64) action?: string;
  @ApiPropertyOptional({ example: 'list-entry' }) @IsOptional() @IsString() @MaxLength(64) objectType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) objectId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) requestId?: string;
  @ApiPropertyOptional({ description: 'from (inclusive), ISO 8601' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'to (exclusive), ISO 8601' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() after?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
