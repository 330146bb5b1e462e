import { RevokedTokens1764300000010 } from '@jrp/auth';
import { IdempotencyKeys1764300000011 } from '@jrp/http';
import {
  DeadLetterResolutions1764300000301,
  MessagingTables1764300000000,
  OutboxAsSent1764300000302,
} from '@jrp/messaging';
import { Feedback1764300000201 } from './migrations/1764300000201-feedback';
import { FeedbackVersionsStatistics1764300000202 } from './migrations/1764300000202-feedback-versions-statistics';
import { CasePublication1764300000271 } from './migrations/1764300000271-case-publication';
import { TaskLifting1764300000284 } from './migrations/1764300000284-task-lifting';
import { KnownTaskStatuses1764300000222 } from './migrations/1764300000222-known-task-statuses';

/** The migrations of the `feedback` schema, in order (run at start, or by `npm run migrate`). */
export const FEEDBACK_MIGRATIONS = [
  MessagingTables1764300000000,
  DeadLetterResolutions1764300000301,
  OutboxAsSent1764300000302,
  RevokedTokens1764300000010,
  IdempotencyKeys1764300000011,
  Feedback1764300000201,
  FeedbackVersionsStatistics1764300000202,
  CasePublication1764300000271,
  TaskLifting1764300000284,
  KnownTaskStatuses1764300000222,
];
