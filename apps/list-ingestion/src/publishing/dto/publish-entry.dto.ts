import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { GRADES, Grade, IDENTIFICATION_LEVELS, IdentificationLevel, SUBJECT_KINDS, SubjectKind } from '@jrp/contracts';
import { ID_TYPES, IdType, IsProvinceRegion, IsUscc } from '@jrp/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class LegalRepresentativeDto {
  @ApiProperty({ example: '张三' }) @IsString() @IsNotEmpty() @MaxLength(100) name: string;

  @ApiPropertyOptional({ enum: ID_TYPES, default: 'resident-id' }) @IsOptional() @IsIn(ID_TYPES) idType?: IdType;

  @ApiProperty({
    example: '11010519491231002X',
    description: '证件号码 (居民身份证: GB 11643; 15-digit numbers are converted)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  idNumber: string;
}

export class SubjectDto {
  @ApiProperty({ enum: SUBJECT_KINDS, description: 'legal: 法人和非法人组织 (个体工商户 included); natural: 自然人' })
  @IsIn(SUBJECT_KINDS)
  kind: SubjectKind;

  @ApiProperty({ example: '安徽某某建设有限公司' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;

  @ApiPropertyOptional({ example: '91350100M000100Y43', description: '统一社会信用代码, required for legal subjects' })
  @ValidateIf((s: SubjectDto) => s.kind === 'legal' || s.uscc !== undefined)
  @IsUscc()
  uscc?: string;

  @ApiPropertyOptional({ enum: ID_TYPES, default: 'resident-id', description: '证件类型 of a natural person' })
  @IsOptional()
  @IsIn(ID_TYPES)
  idType?: IdType;

  @ApiPropertyOptional({ example: '11010519491231002X', description: '证件号码, required for natural persons' })
  @ValidateIf((s: SubjectDto) => s.kind === 'natural' || s.idNumber !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  idNumber?: string;

  @ApiPropertyOptional({ type: LegalRepresentativeDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalRepresentativeDto)
  legalRepresentative?: LegalRepresentativeDto;
}

/**
 * A notice (告知书) of the intended listing that the publisher served itself, outside jrp (its own case
 * system; a province migrating existing lists): on a notice-first list type the statement period counts
 * from `servedOn`, and once it has passed the entry is listed directly.
 */
export class NoticeServedDto {
  @ApiProperty({ example: '2026-10-20', description: '告知书送达日期 (Asia/Shanghai calendar date)' })
  @Matches(DATE, { message: 'servedOn must be a date YYYY-MM-DD' })
  servedOn: string;

  @ApiProperty({ example: '皖统告〔2026〕12号', description: '告知书文号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  documentNo: string;
}

/** A red or black list entry (红黑名单) as an initiating department publishes it. */
export class PublishEntryDto {
  @ApiProperty({ example: 'BL-COURT-DEBTOR' }) @IsString() @IsNotEmpty() @MaxLength(64) listType: string;

  @ApiProperty({ type: SubjectDto }) @IsObject() @ValidateNested() @Type(() => SubjectDto) subject: SubjectDto;

  @ApiProperty({ example: '有履行能力而拒不履行生效法律文书确定义务', description: '列入事由' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;

  @ApiProperty({ example: '合肥市中级人民法院', description: '认定部门' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  decidedBy: string;

  @ApiPropertyOptional({
    enum: IDENTIFICATION_LEVELS,
    description: '认定级别; by default the publisher’s level (province → provincial, city → city)',
  })
  @IsOptional()
  @IsIn(IDENTIFICATION_LEVELS)
  identificationLevel?: IdentificationLevel;

  @ApiProperty({ example: '（2026）皖01执123号', description: '认定文号' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  documentNo: string;

  @ApiProperty({ example: '2026-11-01', description: '列入日期 (Asia/Shanghai calendar date)' })
  @Matches(DATE, { message: 'listedAt must be a date YYYY-MM-DD' })
  listedAt: string;

  @ApiPropertyOptional({
    example: '2029-10-31',
    description: '有效期至 (inclusive); by default from the list type’s validity',
  })
  @IsOptional()
  @Matches(DATE, { message: 'validUntil must be a date YYYY-MM-DD' })
  validUntil?: string;

  @ApiPropertyOptional({ example: '1250000.00', description: '涉及金额 in yuan' })
  @IsOptional()
  @Matches(/^\d{1,16}(\.\d{1,2})?$/, {
    message: 'amount must be a non-negative amount in yuan with at most 2 decimals',
  })
  amount?: string;

  @ApiProperty({ example: '340100', description: '行政区划代码 of the province or one of its divisions' })
  @IsProvinceRegion()
  region: string;

  @ApiPropertyOptional({
    enum: GRADES,
    description:
      '失信等级 (minor 轻微, general 一般, serious 严重) where the list type grades its entries; by default the list type’s',
  })
  @IsOptional()
  @IsIn(GRADES)
  grade?: Grade;

  @ApiPropertyOptional({
    type: NoticeServedDto,
    description:
      'notice-first list types (拟列入, 告知): the notice already served outside jrp; without it jrp serves the notice on publishing and the entry starts noticed',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => NoticeServedDto)
  notice?: NoticeServedDto;
}
