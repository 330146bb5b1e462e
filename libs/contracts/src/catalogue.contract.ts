import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SUBJECT_KINDS, SubjectKind } from './list-entry.contract';
import {
  GRADES,
  Grade,
  GradeRuleData,
  LISTING_PROCEDURES,
  ListBasisData,
  ListingProcedure,
  REPAIR_PATHS,
  RepairPath,
  WithheldFacilitationData,
} from './list-rules.contract';

export const ORGANIZATION_CODE = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
export const ORGANIZATION_LEVELS = ['province', 'city', 'county'] as const;
export type OrganizationLevel = (typeof ORGANIZATION_LEVELS)[number];
/**
 * `portal` is the public credit website's token (信用网站): it files objections and repair applications
 * for the subject who identifies itself there, and reads their status — nothing else.
 */
export const ROLES = ['publisher', 'implementer', 'office', 'admin', 'portal'] as const;
export type Role = (typeof ROLES)[number];

export class OrganizationData {
  @Matches(ORGANIZATION_CODE) code: string;
  @IsString() @IsNotEmpty() name: string;
  @IsIn(ORGANIZATION_LEVELS) level: OrganizationLevel;
  @Matches(/^\d{6}$/) region: string;
  @IsArray() @IsIn(ROLES, { each: true }) roles: Role[];
}

export class ListTypeData {
  @Matches(ORGANIZATION_CODE) code: string;
  @IsString() @IsNotEmpty() name: string;
  @IsIn(['red', 'black']) colour: 'red' | 'black';
  @IsString() identifyingOrganization: string;
  @IsArray() @IsIn(SUBJECT_KINDS, { each: true }) subjectKinds: SubjectKind[];
  /** Black lists a subject can leave by credit repair (信用修复); 失信被执行人 cannot. Kept for old readers: `repairPath` ≠ `none`. */
  @IsBoolean() repairable: boolean;
  @IsOptional() @IsInt() @Min(1) defaultValidityDays?: number | null;
  /*
   * The rule set (list-rules.contract.ts). Optional: versions published before rule sets lack them, and
   * readers complete them with `listTypeRules` (the 2018 path, from `repairable`).
   */
  @IsOptional() @IsIn(LISTING_PROCEDURES) procedure?: ListingProcedure;
  @IsOptional() @IsIn(REPAIR_PATHS) repairPath?: RepairPath;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => GradeRuleData) grades?: GradeRuleData[];
  @IsOptional() @IsIn(GRADES) defaultGrade?: Grade | null;
  @IsOptional() @IsBoolean() objectionHoldsMeasures?: boolean;
  @IsOptional() @ValidateNested() @Type(() => ListBasisData) basis?: ListBasisData | null;
  @IsOptional() @IsString() removalConditions?: string | null;
  @IsOptional() @IsString() remedies?: string | null;
  @IsOptional() @IsInt() @Min(1) @Max(365) repairDecisionWorkingDays?: number;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WithheldFacilitationData)
  withheldFacilitations?: WithheldFacilitationData[];
}

/** A memorandum (合作备忘录) by code and name. */
export class MemorandumRefData {
  @Matches(ORGANIZATION_CODE) code: string;
  @IsString() @IsNotEmpty() name: string;
}

/** Which memorandum a measure comes from (feedback groups measure items by memorandum). */
export class MeasureRefData {
  @IsString() @IsNotEmpty() code: string;
  @IsString() @IsNotEmpty() memorandum: string;
  /*
   * What a listing decision document (列入决定书) states of the measures that follow: the measure's text,
   * its list type, kind and implementing organisations. Absent in events from before the document.
   */
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsString() listType?: string;
  @IsOptional() @IsIn(['punishment', 'reward']) kind?: 'punishment' | 'reward';
  @IsOptional() @IsArray() @IsString({ each: true }) implementingOrganizations?: string[];
  /** A city's own measure (its division code); null: the provincial catalogue. */
  @IsOptional() @IsString() scopeRegion?: string | null;
}

/** The published catalogue as other services need it: list types and organisations (and, since feedback's reports, memoranda and measures). */
export class CataloguePublishedData {
  @IsInt() @Min(1) version: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ListTypeData) listTypes: ListTypeData[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => OrganizationData) organizations: OrganizationData[];
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MemorandumRefData)
  memoranda?: MemorandumRefData[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => MeasureRefData) measures?: MeasureRefData[];
}

export class OrganizationChangedData {
  @IsInt() @Min(1) version: number;
  @ValidateNested() @Type(() => OrganizationData) organization: OrganizationData;
}

export class CalendarDayData {
  @Matches(/^\d{4}-\d{2}-\d{2}$/) date: string;
  @IsIn(['workday', 'holiday']) kind: 'workday' | 'holiday';
  @IsOptional() @IsString() name?: string | null;
}

/** A year of the working-day calendar: its exceptions to the Monday–Friday rule (all of them). */
export class CalendarChangedData {
  @IsInt() @Min(1900) year: number;
  @IsInt() @Min(1) version: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => CalendarDayData) days: CalendarDayData[];
}
