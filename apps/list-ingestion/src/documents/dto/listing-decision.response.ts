import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ENTRY_STATUSES, EntryStatus, GRADES, Grade, SUBJECT_KINDS, SubjectKind } from '@jrp/contracts';

class DecisionListTypeResponse {
  @ApiProperty({ example: 'BL-STATISTICS' }) code: string;
  @ApiProperty({ example: '统计领域严重失信企业' }) name: string;
}

class DecisionLegalRepresentativeResponse {
  @ApiProperty() name: string;
  @ApiPropertyOptional() idType?: string;
  @ApiPropertyOptional({ description: 'masked' }) idNumber?: string;
}

class DecisionSubjectResponse {
  @ApiProperty({ enum: SUBJECT_KINDS }) kind: SubjectKind;
  @ApiProperty() name: string;
  @ApiPropertyOptional() uscc?: string;
  @ApiPropertyOptional() idType?: string;
  @ApiPropertyOptional({ example: '340104************', description: 'masked' }) idNumber?: string;
  @ApiPropertyOptional({ type: DecisionLegalRepresentativeResponse })
  legalRepresentative?: DecisionLegalRepresentativeResponse;
}

class DecisionBasisResponse {
  @ApiProperty() document: string;
  @ApiProperty() article: string;
}

class DecisionMeasureResponse {
  @ApiProperty() code: string;
  @ApiProperty() text: string;
  @ApiProperty({ enum: ['punishment', 'reward'] }) kind: 'punishment' | 'reward';
  @ApiProperty({ type: [String], description: 'the implementing departments’ names' }) implementers: string[];
}

class DecisionNoticeResponse {
  @ApiProperty({ format: 'date' }) servedOn: string;
  @ApiProperty({ type: String, nullable: true, description: '告知书文号 when served outside jrp' }) documentNo:
    string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) statementDeadline: string | null;
}

class DecisionStatementResponse {
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

class DecisionOrganizationResponse {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

/** The listing decision document (列入决定书) as JSON; the same content as the printable page. */
export class ListingDecisionResponse {
  @ApiProperty({ example: '列入严重失信主体名单决定书' }) title: string;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ENTRY_STATUSES }) status: EntryStatus;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ description: '认定文号' }) documentNo: string;
  @ApiProperty({ type: DecisionListTypeResponse }) listType: DecisionListTypeResponse;
  @ApiProperty({ type: DecisionSubjectResponse }) subject: DecisionSubjectResponse;
  @ApiProperty({ description: '列入事由' }) reasons: string;
  @ApiProperty({ type: DecisionBasisResponse, nullable: true, description: '认定标准' })
  basis: DecisionBasisResponse | null;
  @ApiProperty({ type: [DecisionMeasureResponse] }) measures: DecisionMeasureResponse[];
  @ApiProperty({ enum: GRADES, nullable: true }) grade: Grade | null;
  @ApiProperty({ type: String, nullable: true }) gradeLabel: string | null;
  @ApiProperty({ format: 'date' }) listedAt: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) publicUntil: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) repairableFrom: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) validUntil: string | null;
  @ApiProperty({ type: String, nullable: true, description: '移出条件' }) removalConditions: string | null;
  @ApiProperty({ type: String, nullable: true, description: '救济途径' }) remedies: string | null;
  @ApiProperty({ type: DecisionNoticeResponse, nullable: true }) notice: DecisionNoticeResponse | null;
  @ApiProperty({ type: DecisionStatementResponse, nullable: true, description: '陈述申辩' })
  statement: DecisionStatementResponse | null;
  @ApiProperty({ type: String, nullable: true, description: 'how the statement was considered' }) considered:
    string | null;
  @ApiProperty({ description: '认定部门' }) decidedBy: string;
  @ApiProperty({ type: DecisionOrganizationResponse }) decidingOrganization: DecisionOrganizationResponse;
  @ApiProperty({ format: 'date' }) decidedAt: string;
}
