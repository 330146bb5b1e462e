import { ApiProperty } from '@nestjs/swagger';
import { TERM_FROMS, TermFrom } from '../../matching/term';
import {
  GRADES,
  Grade,
  LISTING_PROCEDURES,
  ListingProcedure,
  ORGANIZATION_LEVELS,
  OrganizationLevel,
  REPAIR_PATHS,
  RepairPath,
  Role,
  ROLES,
  SUBJECT_KINDS,
  SubjectKind,
} from '@jrp/contracts';
import {
  BASE_LIST_EDITIONS,
  BASIS_KINDS,
  BaseListEdition,
  BasisKind,
  CATALOGUE_LEVELS,
  CatalogueLevel,
} from '../versions/measure-basis';

/** A memorandum (合作备忘录): a live catalogue row and a catalogue document's item alike. */
export class CatalogueMemorandumResponse {
  @ApiProperty({ example: 'M01' }) code: string;
  @ApiProperty({ example: '关于对失信被执行人实施联合惩戒的合作备忘录' }) name: string;
  @ApiProperty({ type: String, nullable: true, description: '文号', example: '发改财金〔2016〕141号' }) docNo:
    string | null;
  @ApiProperty({ description: 'the document number is not confirmed' }) docNoUncertain: boolean;
  @ApiProperty({ type: Number, nullable: true, example: 2016 }) year: number | null;
  @ApiProperty({ enum: ['punishment', 'reward'], description: 'punishment: 联合惩戒; reward: 联合激励' }) kind:
    'punishment' | 'reward';
  @ApiProperty({ enum: ['in-force', 'expired'] }) status: 'in-force' | 'expired';
  @ApiProperty({ description: 'organisation code of the initiating department (发起部门)' })
  initiatingOrganization: string;
  @ApiProperty({ type: Number, nullable: true, description: 'how many departments signed it' }) signatoryCount:
    number | null;
}

export class GradeRuleResponse {
  @ApiProperty({ enum: GRADES, description: 'minor 轻微, general 一般, serious 严重' }) grade: Grade;
  @ApiProperty({ description: 'months of publication before repair may start' }) minimumMonths: number;
  @ApiProperty({ description: 'months of publication at most' }) maximumMonths: number;
}

export class ListBasisResponse {
  @ApiProperty({ description: 'the document of the identification standard (认定标准)' }) document: string;
  @ApiProperty({ description: 'its article or section' }) article: string;
}

/** A facilitation (便利措施) withheld while an entry of the list type is in force. */
export class WithheldFacilitationResponse {
  @ApiProperty({ example: 'notify-commit' }) code: string;
  @ApiProperty({ example: '不适用告知承诺制' }) label: string;
  @ApiProperty({ example: '国务院办公厅关于全面推行证明事项告知承诺制的指导意见（国办发〔2020〕42号）' }) basis: string;
}

/** A list type (名单类型), red or black, with its rule set (docs/lists.md). */
export class CatalogueListTypeResponse {
  @ApiProperty({ example: 'BL-COURT-DEBTOR' }) code: string;
  @ApiProperty({ example: '失信被执行人名单' }) name: string;
  @ApiProperty({ enum: ['red', 'black'], description: 'red: 红名单; black: 黑名单' }) colour: 'red' | 'black';
  @ApiProperty({ description: 'organisation code of the identifying department (认定部门)' })
  identifyingOrganization: string;
  @ApiProperty({ description: 'credit repair (信用修复) is possible: repairPath is not none (kept for old clients)' })
  repairable: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'validity of an entry without its own validUntil' })
  defaultValidityDays: number | null;
  @ApiProperty({ enum: SUBJECT_KINDS, isArray: true }) subjectKinds: SubjectKind[];
  @ApiProperty({ type: [String], description: 'memorandum codes' }) memoranda: string[];
  @ApiProperty({ enum: LISTING_PROCEDURES, description: 'direct: listed on the decision; notice-first: 告知 first' })
  procedure: ListingProcedure;
  @ApiProperty({
    enum: REPAIR_PATHS,
    description: 'watch-list-2018: 重点关注 → 承诺 + 培训; application-2025: repair on application; none',
  })
  repairPath: RepairPath;
  @ApiProperty({ type: [GradeRuleResponse], description: 'grades allowed (empty: entries are not graded)' })
  grades: GradeRuleResponse[];
  @ApiProperty({ enum: GRADES, nullable: true, description: 'the grade of an entry whose publisher names none' })
  defaultGrade: Grade | null;
  @ApiProperty({ description: 'a pending objection (异议) holds the measures' }) objectionHoldsMeasures: boolean;
  @ApiProperty({ type: ListBasisResponse, nullable: true, description: '认定标准' }) basis: ListBasisResponse | null;
  @ApiProperty({ type: String, nullable: true, description: '移出条件, shown to the subject' })
  removalConditions: string | null;
  @ApiProperty({ type: String, nullable: true, description: '救济途径, shown to the subject' }) remedies: string | null;
  @ApiProperty({ description: 'working days (工作日) to decide a repair application (信用修复申请)', example: 10 })
  repairDecisionWorkingDays: number;
  @ApiProperty({
    type: [WithheldFacilitationResponse],
    description: '不适用的便利措施: what a counter refuses while an entry is in force (a red list: none)',
  })
  withheldFacilitations: WithheldFacilitationResponse[];
}

/** An item of a measure's basis (依据). */
export class BasisItemResponse {
  @ApiProperty({ enum: BASIS_KINDS }) kind: BasisKind;
  @ApiProperty({ example: '中华人民共和国政府采购法' }) document: string;
  @ApiProperty({ type: String, nullable: true, description: '文号' }) number: string | null;
  @ApiProperty({ type: String, nullable: true, example: '第二十二条', description: '条款' }) article: string | null;
}

export class BaseListItemResponse {
  @ApiProperty({ enum: BASE_LIST_EDITIONS }) edition: BaseListEdition;
  @ApiProperty({ example: '12' }) item: string;
}

/** Where a measure comes from (来源). */
export class MeasureSourceResponse {
  @ApiProperty({ type: String, nullable: true, example: 'M01' }) memorandum: string | null;
  @ApiProperty({ type: BaseListItemResponse, nullable: true, description: '失信惩戒措施基础清单 item' })
  baseList: BaseListItemResponse | null;
  @ApiProperty({ enum: CATALOGUE_LEVELS }) catalogue: CatalogueLevel;
}

/** The fields of a measure (措施), whether read from the live catalogue or from a document. */
class CatalogueMeasureFields {
  @ApiProperty() text: string;
  @ApiProperty({ enum: ['punishment', 'reward'] }) kind: 'punishment' | 'reward';
  @ApiProperty({ type: String, nullable: true }) category: string | null;
  @ApiProperty({ example: 'M01' }) memorandum: string;
  @ApiProperty({ example: 'BL-COURT-DEBTOR' }) listType: string;
  @ApiProperty({ type: [String], description: 'organisation codes of the implementing departments (实施部门)' })
  implementingOrganizations: string[];
  @ApiProperty({
    description: 'an implementer was chosen here, not the direct successor of a department the memorandum names',
  })
  mappingInferred: boolean;
  @ApiProperty({
    type: [String],
    description: '法律依据 as the memorandum words it (old readers; `basis` is authoritative)',
  })
  legalBasis: string[];
  @ApiProperty({ type: [BasisItemResponse], description: '依据: structured items' }) basis: BasisItemResponse[];
  @ApiProperty({ type: MeasureSourceResponse, description: '来源' }) source: MeasureSourceResponse;
  @ApiProperty({ description: 'the basis is still to be confirmed (依据待核对)' }) basisPending: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'why the basis is pending' })
  basisPendingReason: string | null;
  @ApiProperty({ enum: ['subject', 'legal-representative', 'both'], description: 'whom it punishes or rewards' })
  appliesTo: 'subject' | 'legal-representative' | 'both';
  @ApiProperty({ enum: SUBJECT_KINDS, isArray: true }) subjectKinds: SubjectKind[];
  @ApiProperty({ description: 'feedback due within this many working days (工作日)' }) feedbackDueWorkingDays: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '期限（月）: the measure lasts this many months; null: until the entry leaves the list (至移出名单)',
  })
  termMonths: number | null;
  @ApiProperty({
    enum: TERM_FROMS,
    nullable: true,
    description: '期限起算: from the listing (列入之日) or the decision date (决定之日); null without a term',
  })
  termFrom: TermFrom | null;
  @ApiProperty({ description: 'the implementer must match the full 居民身份证号 in its own system' })
  needsFullIdNumber: boolean;
  @ApiProperty({ type: String, format: 'date', nullable: true }) effectiveFrom: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) effectiveTo: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'a city’s own measure: its division code; null: the provincial catalogue',
    example: '340100',
  })
  scopeRegion: string | null;
}

/** A measure of the live catalogue. */
export class CatalogueMeasureResponse extends CatalogueMeasureFields {
  @ApiProperty({ example: 'M01-01', description: 'the measure’s code' }) id: string;
}

/** A measure as a catalogue document (a version, the draft) holds it. */
export class CatalogueMeasureDocResponse extends CatalogueMeasureFields {
  @ApiProperty({ example: 'M01-01' }) code: string;
}

/** An organisation: initiating or implementing department, office. */
export class CatalogueOrganizationResponse {
  @ApiProperty({ example: 'AH-C340100-TAX' }) code: string;
  @ApiProperty({ example: '国家税务总局合肥市税务局' }) name: string;
  @ApiProperty({ type: String, nullable: true }) shortName: string | null;
  @ApiProperty({ enum: ORGANIZATION_LEVELS }) level: OrganizationLevel;
  @ApiProperty({ example: '340100', description: '行政区划代码' }) region: string;
  @ApiProperty({
    type: [String],
    description: 'former (2018) names and the national counterparts’ names it stands for',
  })
  aliases: string[];
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
}

const NEXT = {
  nullable: true,
  type: String,
  description: 'cursor of the next page (pass it as `after`); null after the last page',
} as const;

const HAS_MORE = { description: 'whether another page follows (`next` is then its cursor)' } as const;

export class CatalogueListTypePageResponse {
  @ApiProperty({ type: [CatalogueListTypeResponse] }) items: CatalogueListTypeResponse[];
  @ApiProperty(NEXT) next: string | null;
  @ApiProperty(HAS_MORE) hasMore: boolean;
}

export class CatalogueMemorandumPageResponse {
  @ApiProperty({ type: [CatalogueMemorandumResponse] }) items: CatalogueMemorandumResponse[];
  @ApiProperty(NEXT) next: string | null;
  @ApiProperty(HAS_MORE) hasMore: boolean;
}

export class CatalogueMeasurePageResponse {
  @ApiProperty({ type: [CatalogueMeasureResponse] }) items: CatalogueMeasureResponse[];
  @ApiProperty(NEXT) next: string | null;
  @ApiProperty(HAS_MORE) hasMore: boolean;
}

export class CatalogueOrganizationPageResponse {
  @ApiProperty({ type: [CatalogueOrganizationResponse] }) items: CatalogueOrganizationResponse[];
  @ApiProperty(NEXT) next: string | null;
  @ApiProperty(HAS_MORE) hasMore: boolean;
}
