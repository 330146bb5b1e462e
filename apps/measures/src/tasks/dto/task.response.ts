import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  REVOCATION_REASONS,
  RevocationReason,
  TASK_CHANGE_TYPES,
  TASK_STATUSES,
  TaskChangeType,
  TaskStatus,
} from '@jrp/contracts';
import { TASK_VIEW_STATUSES, TaskViewStatus } from '../task-labels';

export class TaskSubjectResponse {
  @ApiProperty({ enum: ['legal', 'natural'] }) kind: 'legal' | 'natural';
  @ApiProperty({ example: '安徽某某建设有限公司' }) name: string;
  @ApiPropertyOptional({ description: '统一社会信用代码' }) uscc?: string;
  @ApiPropertyOptional({ description: 'ID number, masked (minimum necessary)', example: '340104********1234' })
  idNumberMasked?: string;
  @ApiPropertyOptional() legalRepresentativeName?: string;
}

export class TaskMeasureResponse {
  @ApiProperty({ example: 'M01-01' }) id: string;
  @ApiProperty() text: string;
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description:
      'the last day the measure applies (措施期限至, inclusive, Asia/Shanghai); absent or null: until removal',
  })
  applyUntil?: string | null;
}

export class TaskCheckResponse {
  @ApiProperty({ format: 'uuid' }) checkId: string;
  @ApiProperty() businessType: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'date-time' }) checkedAt: string;
}

export class TaskRevocationResponse {
  @ApiProperty({
    enum: REVOCATION_REASONS,
    description:
      'repair 信用修复, removal 移出, expiry 到期, objection-upheld 异议成立: the entry left the list; term-ended 期限届满: every measure of the task ran its term (lifting is to be confirmed for all these); rematch 措施调整: it is still listed',
  })
  reason: RevocationReason;
  @ApiProperty({ format: 'date-time', description: 'when the entry’s change took effect' }) revokedAt: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'lifting is to be confirmed by then (end of the last working day, Asia/Shanghai); null: none owed',
  })
  liftBy: string | null;
}

export class TaskLiftingResponse {
  @ApiProperty({ format: 'date-time', description: 'when the measures were lifted' }) liftedAt: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time', description: 'when the confirmation was recorded' }) confirmedAt: string;
}

/** The task as it stood after one change (a feed item's, a stream event's and a webhook's `task`). */
export class TaskSnapshotResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'counts every change of the task' }) version: number;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ example: 'BL-COURT-DEBTOR' }) listType: string;
  @ApiProperty({ example: '失信被执行人名单' }) listTypeName: string;
  @ApiProperty({ description: 'implementing organisation code' }) organization: string;
  @ApiProperty({ example: '340100' }) region: string;
  @ApiProperty({ type: TaskSubjectResponse }) subject: TaskSubjectResponse;
  @ApiProperty({ type: [TaskMeasureResponse] }) measures: TaskMeasureResponse[];
  @ApiProperty({ enum: TASK_STATUSES }) status: TaskStatus;
  @ApiProperty({ example: '待实施' }) statusLabel: string;
  @ApiProperty({ description: '异议处理中: the entry is disputed' }) disputed: boolean;
  @ApiPropertyOptional({ example: '异议处理中' }) disputedLabel?: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'feedback due by then (end of the last working day, Asia/Shanghai)',
  })
  dueAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt: string | null;
  @ApiPropertyOptional() returnReason?: string;
  @ApiPropertyOptional({ type: TaskCheckResponse }) check?: TaskCheckResponse;
  @ApiPropertyOptional({ type: TaskRevocationResponse, description: 'a revoked task’s revocation' })
  revocation?: TaskRevocationResponse;
  @ApiPropertyOptional({ type: TaskLiftingResponse, description: '解除确认: the measures were lifted' })
  lifting?: TaskLiftingResponse;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export class FeedItemResponse {
  @ApiProperty({ description: 'opaque; resume after this change with `after=<cursor>` (or `Last-Event-ID`)' })
  cursor: string;
  @ApiProperty({ enum: TASK_CHANGE_TYPES }) type: TaskChangeType;
  @ApiProperty({ example: '下发' }) typeLabel: string;
  @ApiProperty({ type: TaskSnapshotResponse }) task: TaskSnapshotResponse;
}

export class MeasureFeedbackResponse {
  @ApiProperty({ example: 'implemented' }) outcome: string;
  @ApiPropertyOptional({ type: String, nullable: true }) implementedAt?: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ format: 'uuid' }) feedbackId: string;
}

export class TaskMeasureStateResponse extends TaskMeasureResponse {
  @ApiProperty({
    type: MeasureFeedbackResponse,
    nullable: true,
    description: 'the latest feedback on this measure, if any',
  })
  feedback: MeasureFeedbackResponse | null;
}

/** A task as it stands now. */
export class TaskResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty() organization: string;
  @ApiProperty() organizationName: string;
  @ApiProperty() listType: string;
  @ApiProperty() listTypeName: string;
  @ApiProperty() region: string;
  @ApiProperty({ type: TaskSubjectResponse }) subject: TaskSubjectResponse;
  @ApiProperty({ type: [TaskMeasureStateResponse] }) measures: TaskMeasureStateResponse[];
  @ApiProperty({ enum: TASK_VIEW_STATUSES }) status: TaskViewStatus;
  @ApiProperty({ example: '已签收' }) statusLabel: string;
  @ApiProperty() disputed: boolean;
  @ApiProperty({ type: String, format: 'date', nullable: true }) dispatchedOn: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: string | null;
  @ApiProperty({ description: 'past its due date without feedback' }) overdue: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) returnedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) returnReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fedBackAt: string | null;
  @ApiProperty({ type: TaskRevocationResponse, nullable: true, description: 'a revoked task’s revocation' })
  revocation: TaskRevocationResponse | null;
  @ApiProperty({ type: TaskLiftingResponse, nullable: true, description: '解除确认, once given' })
  lifting: TaskLiftingResponse | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ReassignmentResponse {
  @ApiProperty({
    type: TaskResponse,
    description: 'the returned task (revoked, or dispatched again to the same organisation)',
  })
  returnedTask: TaskResponse;
  @ApiProperty({ type: TaskResponse, description: 'the task that now carries the measures' }) task: TaskResponse;
}
