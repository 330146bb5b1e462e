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
import { ORGANIZATION_CODE, SUBJECT_KINDS, SubjectKind } from '@jrp/contracts';

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

export class ListTypeDto {
  @ApiProperty() @Matches(ORGANIZATION_CODE) code: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @ApiProperty({ enum: ['red', 'black'] }) @IsIn(['red', 'black']) colour: 'red' | 'black';
  @ApiProperty() @Matches(ORGANIZATION_CODE) identifyingOrganization: string;
  @ApiProperty() @IsBoolean() repairable: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) defaultValidityDays: number | null;
  @ApiProperty({ enum: SUBJECT_KINDS, isArray: true })
  @IsArray()
  @IsIn(SUBJECT_KINDS, { each: true })
  subjectKinds: SubjectKind[];
  @ApiProperty() @IsArray() @Matches(ORGANIZATION_CODE, { each: true }) memoranda: string[];
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
  @ApiProperty() @IsArray() @IsString({ each: true }) legalBasis: string[];
  @ApiProperty({ enum: ['subject', 'legal-representative', 'both'] })
  @IsIn(['subject', 'legal-representative', 'both'])
  appliesTo: 'subject' | 'legal-representative' | 'both';
  @ApiProperty({ enum: SUBJECT_KINDS, isArray: true })
  @IsArray()
  @IsIn(SUBJECT_KINDS, { each: true })
  subjectKinds: SubjectKind[];
  @ApiProperty() @IsInt() @Min(1) @Max(60) feedbackDueWorkingDays: number;
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
