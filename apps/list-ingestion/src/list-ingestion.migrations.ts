import { RevokedTokens1764300000010 } from '@jrp/auth';
import { IdempotencyKeys1764300000011 } from '@jrp/http';
import {
  DeadLetterResolutions1764300000301,
  MessagingTables1764300000000,
  OutboxAsSent1764300000302,
} from '@jrp/messaging';
import { ListEntries1764300000101 } from './migrations/1764300000101-list-entries';
import { CalendarCopy1764300000102 } from './migrations/1764300000102-calendar-copy';
import { RejectedRowsMasked1764300000171 } from './migrations/1764300000171-rejected-rows-masked';
import { ImportQueue1764300000181 } from './migrations/1764300000181-import-queue';
import { GradedEntries1764300000192 } from './migrations/1764300000192-graded-entries';
import { NoticeBeforeListing1764300000201 } from './migrations/1764300000201-notice-before-listing';
import { RepairApplications1764300000211 } from './migrations/1764300000211-repair-applications';
import { ImportPushOptions1764300000231 } from './migrations/1764300000231-import-push-options';

/** The migrations of the `list_ingestion` schema, in order (run at start, or by `npm run migrate`). */
export const LIST_INGESTION_MIGRATIONS = [
  MessagingTables1764300000000,
  DeadLetterResolutions1764300000301,
  OutboxAsSent1764300000302,
  RevokedTokens1764300000010,
  IdempotencyKeys1764300000011,
  ListEntries1764300000101,
  CalendarCopy1764300000102,
  RejectedRowsMasked1764300000171,
  ImportQueue1764300000181,
  GradedEntries1764300000192,
  NoticeBeforeListing1764300000201,
  RepairApplications1764300000211,
  ImportPushOptions1764300000231,
];
