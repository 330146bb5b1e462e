import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_TYPES } from '@jrp/domain';
import { CheckedEntryView, CheckedMeasureView, WithheldFacilitationView } from './check.dto';

/** One subject of a batch: `{uscc}` or `{idType, idNumber}`, optionally its name; checked row by row. */
export class BatchSubjectDto {
  @ApiPropertyOptional({ example: '某某建设有限公司', description: '主体名称 (shown back, not checked)' })
  name?: string;
  @ApiPropertyOptional({ example: '91350100M000100Y43', description: '统一社会信用代码' }) uscc?: string;
  @ApiPropertyOptional({ enum: ID_TYPES, description: '证件类型 (resident-id when omitted)' }) idType?: string;
  @ApiPropertyOptional({ example: '11010519491231002X', description: '证件号码' }) idNumber?: string;
}

/**
 * Batch comparison (批量比对): JSON with `subjects`, or a multipart form with `file` (CSV or XLSX) and the
 * same `businessType` and `reference`. A bad subject is a row that could not be checked, not a 400.
 */
export class BatchCheckDto {
  @ApiProperty({
    type: [BatchSubjectDto],
    description: 'up to 10,000 subjects (more: 413); each answered in `results`, in this order',
  })
  @IsOptional()
  @IsArray({ message: 'subjects must be an array of subjects' })
  subjects?: unknown[];

  @ApiProperty({ example: '政府采购', description: '业务类型', maxLength: 64 })
  @IsString()
  @IsNotEmpty({ message: 'businessType must not be empty' })
  @MaxLength(64)
  businessType: string;

  @ApiProperty({ example: 'ZB-2026-0456', description: '业务编号: links each task once', maxLength: 128 })
  @IsString()
  @Matches(/^\S(.*\S)?$/, { message: 'reference must not be empty or start or end with spaces' })
  @MaxLength(128)
  reference: string;
}

export class BatchCheckQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'xlsx'], description: 'xlsx: the answer as a workbook (批量比对结果)' })
  @IsOptional()
  @IsIn(['json', 'xlsx'])
  format?: 'json' | 'xlsx';
}

export class BatchCheckRowView {
  @ApiProperty({ description: 'the row’s place in the batch, from 1' }) row: number;
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ description: 'the USCC, or the ID number masked' }) subject: string;
  @ApiProperty({ description: 'false: the row could not be checked (see reason)' }) checked: boolean;
  @ApiPropertyOptional({ description: 'the field at fault' }) field?: string;
  @ApiPropertyOptional({ example: '证件号码校验未通过（…）', description: '无法比对的原因' }) reason?: string;
  @ApiPropertyOptional({ format: 'uuid' }) checkId?: string;
  @ApiPropertyOptional() listed?: boolean;
  @ApiPropertyOptional({ type: [CheckedEntryView] }) entries?: CheckedEntryView[];
  @ApiPropertyOptional({ type: [CheckedMeasureView] }) measures?: CheckedMeasureView[];
  @ApiPropertyOptional({ type: [CheckedMeasureView] }) rewards?: CheckedMeasureView[];
  @ApiPropertyOptional({ type: [WithheldFacilitationView] }) withheldFacilitations?: WithheldFacilitationView[];
  @ApiPropertyOptional({ type: [String] }) taskIds?: string[];
  @ApiPropertyOptional() checkedAt?: string;
}

export class BatchCheckResultView {
  @ApiProperty({ format: 'uuid', description: 'the batch’s audit record' }) batchId: string;
  @ApiProperty() checkedAt: string;
  @ApiProperty() total: number;
  @ApiProperty({ description: 'rows checked (recorded as checks)' }) checked: number;
  @ApiProperty({ description: 'rows on a list with an entry in force' }) listed: number;
  @ApiProperty({ description: 'rows that could not be checked' }) unchecked: number;
  @ApiProperty({ type: [BatchCheckRowView] }) results: BatchCheckRowView[];
}
