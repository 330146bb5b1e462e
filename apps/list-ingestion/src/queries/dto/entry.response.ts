import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  GRADES,
  Grade,
  ENTRY_STATUSES,
  EntryStatus,
  IDENTIFICATION_LEVELS,
  IdentificationLevel,
  SUBJECT_KINDS,
  SubjectKind,
} from '@jrp/contracts';
import { ID_TYPES } from '@jrp/domain';

export class EntryLegalRepresentativeResponse {
  @ApiProperty({ example: '张三' }) name: string;
  @ApiPropertyOptional({ enum: ID_TYPES, description: '证件类型' }) idType?: string;
  @ApiPropertyOptional({ description: '证件号码, masked (minimum necessary)', example: '110105********002X' })
  idNumber?: string;
}

/** The subject (主体) of an entry: a legal person by its USCC, a natural person by a masked ID number. */
export class EntrySubjectResponse {
  @ApiProperty({ enum: SUBJECT_KINDS, description: 'legal: 法人和非法人组织; natural: 自然人' }) kind: SubjectKind;
  @ApiProperty({ example: '安徽某某建设有限公司' }) name: string;
  @ApiPropertyOptional({ description: '统一社会信用代码 (legal subjects)', example: '91350100M000100Y43' })
  uscc?: string;
  @ApiPropertyOptional({ enum: ID_TYPES, description: '证件类型 (natural persons)' }) idType?: string;
  @ApiPropertyOptional({ description: '证件号码, masked (natural persons)', example: '110105********002X' })
  idNumber?: string;
  @ApiPropertyOptional({ type: EntryLegalRepresentativeResponse, description: '法定代表人 (legal subjects)' })
  legalRepresentative?: EntryLegalRepresentativeResponse;
}

/** The credit commitment (信用承诺) recorded on the watch list. */
export class EntryCommitmentResponse {
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** The repair training (信用修复培训) recorded on the watch list. */
export class EntryTrainingResponse {
  @ApiProperty() provider: string;
  @ApiProperty({ example: 8 }) hours: number;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** The notice (告知) of an intended listing: served by jrp on publishing, or outside it (with its number). */
export class EntryNoticeResponse {
  @ApiProperty({ format: 'date' }) servedOn: string;
  @ApiProperty({ type: String, nullable: true, description: '告知书文号 (served outside jrp)' }) documentNo:
    string | null;
  @ApiProperty({ description: 'served by the publisher’s own system' }) servedOutside: boolean;
}

/** The subject's statement (陈述申辩). */
export class EntryStatementResponse {
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: String, nullable: true }) contact: string | null;
  @ApiProperty({ description: 'the organisation that recorded it' }) recordedBy: string;
}

/** The decision on a noticed entry: listed or withdrawn, and how the statement was considered. */
export class EntryDecisionResponse {
  @ApiProperty({ enum: ['listed', 'withdrawn'] }) outcome: 'listed' | 'withdrawn';
  @ApiProperty({ format: 'date' }) at: string;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'the deciding organisation' }) by: string;
}

/** A red or black list entry (红黑名单条目) as it stands now: ID numbers masked, Chinese labels beside the codes. */
export class EntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'counts every change of the entry' }) version: number;
  @ApiProperty({ example: 'BL-COURT-DEBTOR' }) listType: string;
  @ApiProperty({ enum: ENTRY_STATUSES }) status: EntryStatus;
  @ApiProperty({ example: '列入' }) statusLabel: string;
  @ApiProperty({ description: 'an objection (异议) is pending' }) disputed: boolean;
  @ApiPropertyOptional({ example: '异议处理中', description: 'only while disputed' }) disputedLabel?: string;
  @ApiProperty({ type: EntrySubjectResponse }) subject: EntrySubjectResponse;
  @ApiProperty({ description: '列入事由' }) reason: string;
  @ApiProperty({ example: '合肥市中级人民法院', description: '认定部门' }) decidedBy: string;
  @ApiProperty({ enum: IDENTIFICATION_LEVELS }) identificationLevel: IdentificationLevel;
  @ApiProperty({ example: '省级' }) identificationLevelLabel: string;
  @ApiProperty({ example: '（2026）皖01执123号', description: '认定文号' }) documentNo: string;
  @ApiProperty({ format: 'date' }) listedAt: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) validUntil: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'yuan, two decimals', example: '50000.00' }) amount:
    string | null;
  @ApiProperty({ example: '340100' }) region: string;
  @ApiProperty({ description: 'the identifying organisation that published it' }) publishedBy: string;
  @ApiProperty({ type: EntryCommitmentResponse, nullable: true }) commitment: EntryCommitmentResponse | null;
  @ApiProperty({ type: EntryTrainingResponse, nullable: true }) training: EntryTrainingResponse | null;
  @ApiProperty({
    enum: GRADES,
    nullable: true,
    description: '失信等级 where the list type grades its entries (信用修复管理办法 2025); null otherwise',
  })
  grade: Grade | null;
  @ApiPropertyOptional({ example: '严重', description: 'only when graded' }) gradeLabel?: string;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'the last day published (inclusive); graded entries only',
  })
  publicUntil: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'the first day credit repair is accepted (the grade’s minimum period passed); graded entries only',
  })
  repairableFrom: string | null;
  @ApiProperty({ type: EntryNoticeResponse, nullable: true, description: '告知: notice-first list types only' })
  notice: EntryNoticeResponse | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'the last day of the statement period (陈述申辩期); notice-first list types only',
  })
  statementDeadline: string | null;
  @ApiProperty({ type: EntryStatementResponse, nullable: true, description: '陈述申辩, once recorded' })
  statement: EntryStatementResponse | null;
  @ApiProperty({ type: EntryDecisionResponse, nullable: true, description: 'the decision on a noticed entry' })
  decision: EntryDecisionResponse | null;
  @ApiPropertyOptional({
    description: 'noticed entries only: the statement period has passed and the department has not decided',
  })
  decisionOverdue?: boolean;
}

/** An entry in a cursor-paged list. */
export class EntryItemResponse extends EntryResponse {
  @ApiProperty({ description: 'opaque; read on with `after=<cursor>`' }) cursor: string;
}

/** One version or transition of an entry. */
export class EntryHistoryItemResponse {
  @ApiProperty() version: number;
  @ApiProperty({
    example: 'move-to-watch',
    description:
      'listed, republish, correct, move-to-watch, record-commitment, record-training, remove, expired, objection-filed, objection-upheld, objection-rejected',
  })
  action: string;
  @ApiProperty({ enum: ENTRY_STATUSES, description: 'the status after it' }) status: EntryStatus;
  @ApiProperty({ type: String, nullable: true, description: 'why' }) reason: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'e.g. the corrected fields, the objection, the commitment or training',
  })
  details: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time', description: 'when it took effect' }) at: string;
  @ApiProperty({ description: 'organisation code of the actor (JRP for the system)' }) by: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class EntryHistoryResponse {
  @ApiProperty({ type: [EntryHistoryItemResponse], description: 'oldest first' }) items: EntryHistoryItemResponse[];
}

/** A step of credit repair or an objection in a subject's file. */
export class SubjectRepairResponse {
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'the entry version; null for a repair application filed or rejected (the entry is unchanged)',
  })
  version: number | null;
  @ApiProperty({ example: 'record-commitment', description: 'a history action, or repair-applied / repair-rejected' })
  action: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) details: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

/** A subject's credit file (信用档案). */
export class SubjectCreditFileResponse {
  @ApiProperty({ type: EntrySubjectResponse }) subject: EntrySubjectResponse;
  @ApiProperty({ type: [EntryResponse] }) entries: EntryResponse[];
  @ApiProperty({ type: [SubjectRepairResponse], description: 'oldest first' }) repairs: SubjectRepairResponse[];
}

export class PublicLegalRepresentativeResponse {
  @ApiProperty({ example: '张三' }) name: string;
}

/** The subject as the public sees it: the legal representative by name only. */
export class PublicEntrySubjectResponse {
  @ApiProperty({ enum: SUBJECT_KINDS }) kind: SubjectKind;
  @ApiProperty({ example: '安徽某某建设有限公司' }) name: string;
  @ApiPropertyOptional({ description: '统一社会信用代码' }) uscc?: string;
  @ApiPropertyOptional({ enum: ID_TYPES }) idType?: string;
  @ApiPropertyOptional({ description: '证件号码, masked', example: '110105********002X' }) idNumber?: string;
  @ApiPropertyOptional({ type: PublicLegalRepresentativeResponse })
  legalRepresentative?: PublicLegalRepresentativeResponse;
}

/** An active entry on the public list (信用中国 style). */
export class PublicEntryResponse {
  @ApiProperty({ description: 'opaque; read on with `after=<cursor>`' }) cursor: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'BL-COURT-DEBTOR' }) listType: string;
  @ApiProperty({ type: PublicEntrySubjectResponse }) subject: PublicEntrySubjectResponse;
  @ApiProperty({ description: '列入事由' }) reason: string;
  @ApiProperty({ description: '认定部门' }) decidedBy: string;
  @ApiProperty({ example: '（2026）皖01执123号', description: '认定文号' }) documentNo: string;
  @ApiProperty({ format: 'date' }) listedAt: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) validUntil: string | null;
  @ApiProperty({ example: '340100' }) region: string;
  @ApiProperty({ description: '异议处理中' }) disputed: boolean;
  @ApiPropertyOptional({ enum: GRADES, description: '失信等级, graded entries only' }) grade?: Grade;
  @ApiPropertyOptional({ example: '严重', description: 'graded entries only' }) gradeLabel?: string;
  @ApiPropertyOptional({ format: 'date', description: 'published until (inclusive), graded entries only' })
  publicUntil?: string;
}
