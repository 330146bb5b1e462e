import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class FeedQueryDto {
  @ApiPropertyOptional({ description: 'cursor of the last change already read (from `next` or an item)' })
  @IsOptional()
  @IsString()
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 60,
    default: 0,
    description: 'seconds an empty read may wait for the next change (long poll)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  wait?: number;
}

export class StreamQueryDto {
  @ApiPropertyOptional({ description: 'cursor to resume after; the `Last-Event-ID` header takes precedence' })
  @IsOptional()
  @IsString()
  after?: string;
}
