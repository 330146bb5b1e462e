import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsProvinceRegion } from '@jrp/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A joint reward/punishment case (联合奖惩案例) from one of the caller's tasks. */
export class RecordCaseDto {
  @ApiProperty() @IsUUID() taskId: string;

  @ApiProperty({ example: ['M01-01'], description: 'the measures of the task that the case shows applied' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  measureIds: string[];

  @ApiProperty({ example: '某建设公司被限制乘坐高铁后主动履行' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;
  @ApiProperty({ example: '2026-11-05' })
  @Matches(DATE, { message: 'occurredAt must be a date YYYY-MM-DD' })
  occurredAt: string;
  @ApiProperty({ example: '340100' }) @IsProvinceRegion() region: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) description: string;
  @ApiProperty({ description: '实施效果' }) @IsString() @IsNotEmpty() @MaxLength(2000) effect: string;
  @ApiProperty({
    description:
      'may be published (公示) with personal data masked, once the office has reviewed it (a draft until then)',
  })
  @IsBoolean()
  publishable: boolean;
}

export class CasesQueryDto {
  @ApiPropertyOptional({ description: 'office only' }) @IsOptional() @IsString() organization?: string;
  @ApiPropertyOptional({ description: 'a city (or the province, 340000)' })
  @IsOptional()
  @Matches(/^\d{6}$/)
  city?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' }) to?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) publishable?:
    'true' | 'false';
  @ApiPropertyOptional({
    enum: ['draft', 'published'],
    description: 'draft: awaiting the office (待审核); published: 已公示',
  })
  @IsOptional()
  @IsIn(['draft', 'published'], { message: 'status must be draft or published' })
  status?: 'draft' | 'published';
  @ApiPropertyOptional() @IsOptional() @IsString() after?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class PublicCasesQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() after?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}
