import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { TERM_FROMS, TermFrom } from '../../matching/term';
import {
  GRADES,
  Grade,
  GradeRuleData,
  LISTING_PROCEDURES,
  ListBasisData,
  ListingProcedure,
  ORGANIZATION_CODE,
  REPAIR_PATHS,
  RepairPath,
  SUBJECT_KINDS,
  SubjectKind,
  FACILITATION_CODE,
  WithheldFacilitationData,
} from '@jrp/contracts';
import {
  BASE_LIST_EDITIONS,
  BASIS_KINDS,
  BaseListEdition,
  BasisItemInput,
  BasisKind,
  CATALOGUE_LEVELS,
  CatalogueLevel,
  MeasureSourceInput,
} from '../versions/measure-basis';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class MemorandumDto {
  @ApiProperty() @Matches(ORGANIZATION_CODE) code: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) docNo: string | null;
  @ApiProperty() @IsBoolean() docNoUncertain: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() year: number | null;
  @ApiProperty({ enum: ['punishment', 'reward'] }) @IsIn(['punishment', 'reward']) kind: 'punishment' | 'reward';
  @ApiProperty({ enum: ['in-force', 'expired'] }) @IsIn(['in-force', 'expired']) status: 'in-force' | 'expired';
  @ApiProperty() @Matches(ORGANIZATION_CODE) initiatingOrganization: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) signatoryCount: number | null;
}

/** A grade a list type allows, with its publication period (信用修复管理办法 2025: minor ≤ 3, general 3–12, serious 12–36 months). */
export class GradeRuleDto implements GradeRuleData {
  @ApiProperty({ enum: GRADES }) @IsIn(GRADES) grade: Grade;
  @ApiProperty({ description: 'months before repair may start' }) @IsInt() @Min(0) @Max(1200) minimumMonths: number;
  @ApiProperty({ description: 'months of publication at most' }) @IsInt() @Min(1) @Max(1200) maximumMonths: number;
}

export class ListBasisDto implements ListBasisData {
  @ApiProperty({ example: '国办发〔2020〕49号' }) @IsString() @IsNotEmpty() @MaxLength(200) document: string;
  @ApiProperty({ example: '第三条' }) @IsString() @IsNotEmpty() @MaxLength(200) article: string;
}

/** A facilitation (便利措施) withheld while an entry of the list type is in force. */
export class WithheldFacilitationDto implements WithheldFacilitationData {
  @ApiProperty({ example: 'notify-commit', pattern: FACILITATION_CODE.source })
  @Matches(FACILITATION_CODE)
  code: string;
  @ApiProperty({ example: '不适用告知承诺制' }) @IsString() @IsNotEmpty() @MaxLength(100) label: string;
  @ApiProperty({ example: '国务院办公厅关于全面推行证明事项告知承诺制的指导意见（国办发〔2020〕42号）' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  basis: string;
}

export class ListTypeDto {
  @ApiProperty() @Matches(ORGANIZATION_CODE) code: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @ApiProperty({ enum: ['red', 'black'] }) @IsIn(['red', 'black']) colour: 'red' | 'black';
  @ApiProperty() @Matches(ORGANIZATION_CODE) identifyingOrganization: string;
  @ApiPropertyOptional({
    description: 'kept for old clients: true exactly when repairPath is not none (derived when absent)',
  })
  @IsOptional()
  @IsBoolean()
  repairable?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) defaultValidityDays: number | null;
  @ApiProperty({ enum: SUBJECT_KINDS, isArray: true })
  @IsArray()
  @IsIn(SUBJECT_KINDS, { each: true })
  subjectKinds: SubjectKind[];
  @ApiProperty() @IsArray() @Matches(ORGANIZATION_CODE, { each: true }) memoranda: string[];

  // The rule set (docs/lists.md): each field optional; absent ones follow the 2018 path (from `repairable`).
  @ApiPropertyOptional({
    enum: LISTING_PROCEDURES,
    description: 'direct: listed on the decision; notice-first: 告知 first',
  })
  @IsOptional()
  @IsIn(LISTING_PROCEDURES)
  procedure?: ListingProcedure;
  @ApiPropertyOptional({ enum: REPAIR_PATHS, description: '2018 watch list, 2025 application, or no repair' })
  @IsOptional()
  @IsIn(REPAIR_PATHS)
  repairPath?: RepairPath;
  @ApiPropertyOptional({ type: [GradeRuleDto], description: 'grades allowed, with publication periods in months' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => GradeRuleDto)
  grades?: GradeRuleDto[];
  @ApiPropertyOptional({
    enum: GRADES,
    nullable: true,
    description: 'the grade of an entry whose publisher names none',
  })
  @IsOptional()
  @IsIn(GRADES)
  defaultGrade?: Grade | null;
  @ApiPropertyOptional({ description: 'a pending objection (异议) holds the measures' })
  @IsOptional()
  @IsBoolean()
  objectionHoldsMeasures?: boolean;
  @ApiPropertyOptional({ type: () => ListBasisDto, nullable: true, description: '认定标准: document and article' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ListBasisDto)
  basis?: ListBasisDto | null;
  @ApiPropertyOptional({ nullable: true, description: '移出条件, shown to the subject' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  removalConditions?: string | null;
  @ApiPropertyOptional({ nullable: true, description: '救济途径, shown to the subject' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  remedies?: string | null;
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 365,
    default: 10,
    description: 'working days (工作日) to decide a repair application (信用修复申请)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  repairDecisionWorkingDays?: number;
  @ApiPropertyOptional({
    type: [WithheldFacilitationDto],
    description:
      '不适用的便利措施: facilitations a counter refuses while an entry is in force (absent: 告知承诺 and 容缺受理 for a black list, none for a red one)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => WithheldFacilitationDto)
  withheldFacilitations?: WithheldFacilitationDto[];
}

/** An item of a measure's basis (依据): 《document》 number, article. */
export class BasisItemDto implements BasisItemInput {
  @ApiProperty({
    enum: BASIS_KINDS,
    description:
      'law 法律, administrative-regulation 行政法规, local-regulation 地方性法规, central-policy 中央政策文件, memorandum 合作备忘录',
  })
  @IsIn(BASIS_KINDS)
  kind: BasisKind;
  @ApiProperty({ example: '中华人民共和国政府采购法' }) @IsString() @IsNotEmpty() @MaxLength(300) document: string;
  @ApiPropertyOptional({ nullable: true, example: '主席令第六十八号', description: '文号' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  number?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '第二十二条', description: '条款' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  article?: string | null;
}

/** An item of the national base list (失信惩戒措施基础清单). */
export class BaseListItemDto {
  @ApiProperty({ enum: BASE_LIST_EDITIONS }) @IsIn(BASE_LIST_EDITIONS) edition: BaseListEdition;
  @ApiProperty({ example: '12', description: 'the item’s number in that edition' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  item: string;
}

/** Where a measure comes from (来源). */
export class MeasureSourceDto implements MeasureSourceInput {
  @ApiPropertyOptional({ nullable: true, example: 'M01', description: 'the memorandum it comes from' })
  @IsOptional()
  @Matches(ORGANIZATION_CODE)
  memorandum?: string | null;
  @ApiPropertyOptional({ type: () => BaseListItemDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BaseListItemDto)
  baseList?: BaseListItemDto | null;
  @ApiProperty({ enum: CATALOGUE_LEVELS, description: 'national 国家, provincial 省级, city 市级 catalogue' })
  @IsIn(CATALOGUE_LEVELS)
  catalogue: CatalogueLevel;
}

/** A measure as the draft holds it (措施): without its code when the code is in the path. */
export class MeasureBodyDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) text: string;
  @ApiProperty({ enum: ['punishment', 'reward'] }) @IsIn(['punishment', 'reward']) kind: 'punishment' | 'reward';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) category: string | null;
  @ApiProperty() @Matches(ORGANIZATION_CODE) memorandum: string;
  @ApiProperty() @Matches(ORGANIZATION_CODE) listType: string;
  @ApiProperty() @IsArray() @Matches(ORGANIZATION_CODE, { each: true }) implementingOrganizations: string[];
  @ApiProperty() @IsBoolean() mappingInferred: boolean;
  @ApiPropertyOptional({
    type: [String],
    description: 'citations as the memorandum words them (old clients); derived from `basis` when absent',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  legalBasis?: string[];
  @ApiPropertyOptional({
    type: [BasisItemDto],
    description: '依据: a punishment needs one of kind law, regulation or central policy, or basisPending',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BasisItemDto)
  basis?: BasisItemDto[];
  @ApiPropertyOptional({
    type: () => MeasureSourceDto,
    description: '来源 (default: the provincial or city catalogue)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => MeasureSourceDto)
  source?: MeasureSourceDto;
  @ApiPropertyOptional({ description: 'the basis is still to be confirmed (依据待核对)', default: false })
  @IsOptional()
  @IsBoolean()
  basisPending?: boolean;
  @ApiPropertyOptional({ nullable: true, description: 'why the basis is pending (required when it is)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  basisPendingReason?: string | null;
  @ApiProperty({ enum: ['subject', 'legal-representative', 'both'] })
  @IsIn(['subject', 'legal-representative', 'both'])
  appliesTo: 'subject' | 'legal-representative' | 'both';
  @ApiProperty({ enum: SUBJECT_KINDS, isArray: true })
  @IsArray()
  @IsIn(SUBJECT_KINDS, { each: true })
  subjectKinds: SubjectKind[];
  @ApiProperty() @IsInt() @Min(1) @Max(60) feedbackDueWorkingDays: number;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 1200,
    description:
      '期限（月）: the measure lasts this many months; omit or null: until the entry leaves the list (至移出名单)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1200)
  termMonths?: number | null;
  @ApiPropertyOptional({
    enum: TERM_FROMS,
    nullable: true,
    description:
      '期限起算: from the listing (列入之日, the default) or the decision date (决定之日); null without a term',
  })
  @IsOptional()
  @IsIn(TERM_FROMS)
  termFrom?: TermFrom | null;
  @ApiProperty() @IsBoolean() needsFullIdNumber: boolean;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE) effectiveFrom: string | null;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE) effectiveTo: string | null;
  @ApiPropertyOptional({ description: 'a city’s own measure: its division code; omit for the provincial catalogue' })
  @IsOptional()
  @Matches(/^\d{6}$/)
  scopeRegion: string | null;
}

export class MeasureDto extends MeasureBodyDto {
  @ApiProperty() @Matches(ORGANIZATION_CODE) code: string;
}

/** A whole catalogue, as exported (JSON) and imported into the draft. */
export class CatalogueDocumentDto {
  @ApiProperty({ type: [MemorandumDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => MemorandumDto)
  memoranda: MemorandumDto[];
  @ApiProperty({ type: [ListTypeDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ListTypeDto)
  listTypes: ListTypeDto[];
  @ApiProperty({ type: [MeasureDto] })
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => MeasureDto)
  measures: MeasureDto[];
}

export class PublishVersionDto {
  @ApiPropertyOptional({ description: 'what this version changes' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
