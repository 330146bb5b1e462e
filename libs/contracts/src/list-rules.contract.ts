import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/**
 * A list type's rule set (名单规则): how its entries are listed, graded, published and repaired. The
 * 2018 provincial path (移入重点关注 → 信用承诺 + 修复培训 → 移出) and today's national rules — 国办发〔2020〕49号
 * (告知 before listing, published 认定标准) and 信用修复管理办法 (国家发展改革委令2025年第36号: graded
 * publication periods, repair on application) — are both rule sets, so a province runs both while it migrates.
 */

/** `direct`: listed on the decision (the 2018 path); `notice-first`: the subject is told first (告知, 国办发〔2020〕49号). */
export const LISTING_PROCEDURES = ['direct', 'notice-first'] as const;
export type ListingProcedure = (typeof LISTING_PROCEDURES)[number];

/**
 * How an entry leaves by credit repair: `watch-list-2018` (the 2018 steps: move-to-watch, commitment,
 * training), `application-2025` (the subject applies, 信用修复管理办法 2025), `none` (no repair: it leaves
 * by removal or expiry, e.g. 失信被执行人 by the court's decision).
 */
export const REPAIR_PATHS = ['watch-list-2018', 'application-2025', 'none'] as const;
export type RepairPath = (typeof REPAIR_PATHS)[number];

/** Grades of dishonesty information (信用修复管理办法 2025): 轻微, 一般, 严重. */
export const GRADES = ['minor', 'general', 'serious'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_LABELS: Record<Grade, string> = { minor: '轻微', general: '一般', serious: '严重' };

/** A grade a list type allows, with its publication period in months (minimum: when repair may start; maximum: when publication ends). */
export class GradeRuleData {
  @IsIn(GRADES) grade: Grade;
  @IsInt() @Min(0) @Max(1200) minimumMonths: number;
  @IsInt() @Min(1) @Max(1200) maximumMonths: number;
}

/** Where a list type's identification standard (认定标准) is written: the document and its article. */
export class ListBasisData {
  @IsString() @IsNotEmpty() @MaxLength(200) document: string;
  @IsString() @IsNotEmpty() @MaxLength(200) article: string;
}

/** A facilitation's code (便利措施), e.g. `notify-commit`: lower-case letters, digits and hyphens. */
export const FACILITATION_CODE = /^[a-z][a-z0-9-]{1,40}$/;

/**
 * A facilitation (便利措施) a subject with an entry of the list type in force may not use, e.g. 告知承诺
 * (notify and commit) not applicable: the code a counter system acts on, its Chinese label, its basis.
 */
export class WithheldFacilitationData {
  @Matches(FACILITATION_CODE) code: string;
  @IsString() @IsNotEmpty() @MaxLength(100) label: string;
  @IsString() @IsNotEmpty() @MaxLength(500) basis: string;
}

/**
 * What a black list type withholds when its document names nothing (versions published before the rule
 * set carried it): 告知承诺 and 容缺受理, general rules for dishonest subjects (失信主体), not one memorandum's.
 */
export const DEFAULT_WITHHELD_FACILITATIONS: readonly WithheldFacilitationData[] = [
  {
    code: 'notify-commit',
    label: '不适用告知承诺制',
    basis: '国务院办公厅关于全面推行证明事项告知承诺制的指导意见（国办发〔2020〕42号）',
  },
  {
    code: 'tolerance-acceptance',
    label: '不适用容缺受理',
    basis: '国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见（国发〔2016〕33号）',
  },
];

/** The complete rule set of a list type (every field present; see {@link listTypeRules} for the defaults). */
export interface ListTypeRules {
  procedure: ListingProcedure;
  repairPath: RepairPath;
  /** The grades an entry may have; empty: entries are not graded (the 2018 path as it was). */
  grades: GradeRuleData[];
  /** The grade an entry gets when its publisher names none; null when entries are not graded. */
  defaultGrade: Grade | null;
  /** Whether a pending objection (异议) holds the measures while it is decided. */
  objectionHoldsMeasures: boolean;
  basis: ListBasisData | null;
  /** How an entry leaves the list (移出条件), shown to the subject. */
  removalConditions: string | null;
  /** The remedies open to the subject (救济途径: 行政复议, 行政诉讼 …), shown to the subject. */
  remedies: string | null;
  /** Working days (工作日) the deciding department has to decide a repair application (信用修复申请). */
  repairDecisionWorkingDays: number;
  /** Facilitations withheld (不适用的便利措施) while an entry is in force; red lists withhold none. */
  withheldFacilitations: WithheldFacilitationData[];
}

/** The periods of 信用修复管理办法 (2025) in months: minor at most 3; general 3 to 12; serious 12 to 36. */
export const NATIONAL_GRADE_PERIODS: readonly GradeRuleData[] = [
  { grade: 'minor', minimumMonths: 0, maximumMonths: 3 },
  { grade: 'general', minimumMonths: 3, maximumMonths: 12 },
  { grade: 'serious', minimumMonths: 12, maximumMonths: 36 },
];

/** A repair application is decided within this many working days unless the list type says otherwise. */
export const DEFAULT_REPAIR_DECISION_WORKING_DAYS = 10;

/**
 * A list type's rule set, complete: the fields it carries, and for those it lacks (catalogue versions
 * and events from before rule sets) the defaults of the 2018 path — `repairable` true is
 * `watch-list-2018`, false is `none`; listed directly; not graded; objections hold nothing;
 * a repair application decided within 10 working days; a black list withholds 告知承诺 and 容缺受理
 * (DEFAULT_WITHHELD_FACILITATIONS), a red list nothing.
 */
export function listTypeRules(
  listType: { repairable?: boolean | null; colour?: 'red' | 'black' | null } & Partial<ListTypeRules>,
): ListTypeRules {
  return {
    procedure: listType.procedure ?? 'direct',
    repairPath: listType.repairPath ?? (listType.repairable ? 'watch-list-2018' : 'none'),
    grades: listType.grades ?? [],
    defaultGrade: listType.defaultGrade ?? null,
    objectionHoldsMeasures: listType.objectionHoldsMeasures ?? false,
    basis: listType.basis ?? null,
    removalConditions: listType.removalConditions ?? null,
    remedies: listType.remedies ?? null,
    repairDecisionWorkingDays: listType.repairDecisionWorkingDays ?? DEFAULT_REPAIR_DECISION_WORKING_DAYS,
    withheldFacilitations:
      listType.withheldFacilitations ??
      (listType.colour === 'black' ? DEFAULT_WITHHELD_FACILITATIONS.map((f) => ({ ...f })) : []),
  };
}
