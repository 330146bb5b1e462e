import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { REPORT_FORMATS, ReportFormat } from '../report-format';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Completion grouped by implementing organisation, list type, memorandum (measure items), city, or week of dispatch. */
export const GROUPINGS = ['organization', 'listType', 'memorandum', 'region', 'week'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The period (inclusive dates, Asia/Shanghai) and the format of a report. */
export class ReportQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'or the Accept header: text/csv, or the XLSX media type' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class CompletionQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: GROUPINGS, default: 'organization' }) @IsOptional() @IsIn(GROUPINGS) groupBy?: Grouping;
}

export class ListReportQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ default: 1000, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}
