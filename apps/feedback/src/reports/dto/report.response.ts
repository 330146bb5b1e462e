import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ReportPeriodResponse {
  @ApiProperty({ type: String, format: 'date', nullable: true }) from: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) to: string | null;
}

/** A report in JSON: the rows keyed by column, the Chinese header of each column, totals where they add up. */
export class ReportResponse {
  @ApiProperty({ example: '联合奖惩任务完成情况（按实施部门）' }) title: string;
  @ApiProperty({ type: ReportPeriodResponse }) period: ReportPeriodResponse;
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'column → Chinese header' })
  columns: Record<string, string>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'rates are fractions (0.6667), null when nothing is due',
  })
  items: Record<string, unknown>[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) totals?: Record<string, unknown>;
}
