import { ApiProperty } from '@nestjs/swagger';
import { FEEDBACK_OUTCOMES, FeedbackOutcome } from '@jrp/contracts';

export class FeedbackItemResponse {
  @ApiProperty() measureId: string;
  @ApiProperty({ enum: FEEDBACK_OUTCOMES }) outcome: FeedbackOutcome;
  @ApiProperty({ example: '已实施' }) outcomeLabel: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) implementedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) businessType: string | null;
  @ApiProperty({ type: String, nullable: true, example: '120000.50', description: 'yuan' }) amount: string | null;
  @ApiProperty({ type: String, nullable: true }) explanation: string | null;
}

export class FeedbackVersionResponse {
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['recorded', 'corrected', 'cancelled'] }) kind: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: [FeedbackItemResponse] }) items: FeedbackItemResponse[];
}

/** A feedback with its current items and every version. */
export class FeedbackResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty() organization: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['recorded', 'corrected', 'cancelled'] }) status: string;
  @ApiProperty({ example: '已反馈' }) statusLabel: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt: string | null;
  @ApiProperty({ type: String, nullable: true }) cancelReason: string | null;
  @ApiProperty({ type: [FeedbackItemResponse] }) items: FeedbackItemResponse[];
  @ApiProperty({ type: [FeedbackVersionResponse] }) versions: FeedbackVersionResponse[];
}
