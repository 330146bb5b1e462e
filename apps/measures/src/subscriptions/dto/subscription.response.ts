import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_CHANGE_TYPES, TaskChangeType } from '@jrp/contracts';
import {
  DISABLED_REASONS,
  DisabledReason,
  SUBSCRIPTION_STATUSES,
  SubscriptionStatus,
} from './subscription-queries.dto';

/** A webhook subscription as the API shows it: never its secret. */
export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'the owning organisation' }) organization: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: TASK_CHANGE_TYPES, isArray: true }) types: TaskChangeType[];
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) status: SubscriptionStatus;
  @ApiProperty({ example: '启用' }) statusLabel: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'the token it acts under: the one that created it or last enabled it; revoking that token disables it (null: made before tokens were recorded)',
  })
  tokenId: string | null;
  @ApiPropertyOptional({
    enum: DISABLED_REASONS,
    description:
      'why it was disabled: the receiver answered 410, every retry failed, or the token it acts under was revoked',
  })
  disabledReason?: DisabledReason;
  @ApiPropertyOptional({ example: '重试用尽仍失败' }) disabledReasonLabel?: string;
  @ApiProperty({ type: String, nullable: true, example: '8 attempts at one change failed, the last: HTTP 503' })
  disabledDetail: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: string | null;
  @ApiProperty({ description: 'the feed cursor of the last change delivered (or passed over as another type)' })
  cursor: string;
  @ApiProperty({ description: 'failed attempts at the change now due' }) failedAttempts: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when the next retry is due, while retrying',
  })
  nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastDeliveredAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'until then the secret replaced by a rotation signs alongside',
  })
  previousSecretExpiresAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CreatedSubscriptionResponse extends SubscriptionResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw…',
    description: 'the signing secret (Standard Webhooks), shown this once',
  })
  secret: string;
}

export class RotatedSecretResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'the new signing secret, shown this once' }) secret: string;
  @ApiProperty({ format: 'date-time', description: 'until then the old secret signs alongside the new one' })
  previousSecretExpiresAt: string;
}

export class ReplayResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the feed cursor deliveries restart after; null when no change was made since then',
  })
  replayFrom: string | null;
  @ApiProperty({ type: SubscriptionResponse }) subscription: SubscriptionResponse;
}

/** One delivery attempt. */
export class DeliveryAttemptResponse {
  @ApiProperty({ description: 'opaque; read on with `after=<cursor>`' }) cursor: string;
  @ApiProperty({ description: 'the `webhook-id` header: the change, the same on retries and replays' })
  webhookId: string;
  @ApiProperty({ description: 'the feed cursor of the change' }) changeCursor: string;
  @ApiProperty({ enum: TASK_CHANGE_TYPES }) changeType: TaskChangeType;
  @ApiProperty({ description: '1 for the first attempt at a change' }) attempt: number;
  @ApiProperty({ type: Number, nullable: true, description: 'the receiver’s status code, when it answered' })
  statusCode: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'connect ECONNREFUSED 10.12.0.5:443' }) error: string | null;
  @ApiProperty() latencyMs: number;
  @ApiProperty({ description: 'answered 2xx' }) succeeded: boolean;
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
}

export class WebhookTargetsResponse {
  @ApiProperty() organization: string;
  @ApiProperty({ type: [String], example: ['10.12.0.0/16', 'receiver.gov.internal'] }) targets: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
}
