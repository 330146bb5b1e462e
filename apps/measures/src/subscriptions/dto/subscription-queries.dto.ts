import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const SUBSCRIPTION_STATUSES = ['active', 'disabled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Why a subscription was disabled: 410 from the receiver, the retry schedule spent, or its token revoked. */
export const DISABLED_REASONS = ['gone', 'retries-exhausted', 'token-revoked'] as const;
export type DisabledReason = (typeof DISABLED_REASONS)[number];

export class SubscriptionsQueryDto {
  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES })
  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES)
  status?: SubscriptionStatus;

  @ApiPropertyOptional({ description: "office only: one organisation's subscriptions (its code)" })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'organization must be an organisation code' })
  organization?: string;

  @ApiPropertyOptional({ description: 'cursor of the last subscription already read (from `next`)' })
  @IsOptional()
  @IsString()
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ description: 'cursor of the last attempt already read (from `next`)' })
  @IsOptional()
  @IsString()
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ReplayDto {
  @ApiProperty({ example: '2026-11-02T00:00:00+08:00', description: 'redeliver the changes made from this time on' })
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time, e.g. 2026-11-02T00:00:00+08:00' })
  since: string;
}
