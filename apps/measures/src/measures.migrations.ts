import {
  DeadLetterResolutions1764300000301,
  MessagingTables1764300000000,
  OutboxAsSent1764300000302,
} from '@jrp/messaging';
import { Catalogue1764300000001 } from './migrations/1764300000001-catalogue';
import { Tasks1764300000002 } from './migrations/1764300000002-tasks';
import { SeedCatalogue1764300000003 } from './migrations/1764300000003-seed-catalogue';
import { Security1764300000004 } from './migrations/1764300000004-security';
import { MatchingRules1764300000005 } from './migrations/1764300000005-matching-rules';
import { CalendarEvents1764300000006 } from './migrations/1764300000006-calendar-events';
import { CatalogueVersions1764300000007 } from './migrations/1764300000007-catalogue-versions';
import { TaskLifecycle1764300000008 } from './migrations/1764300000008-task-lifecycle';
import { Checks1764300000009 } from './migrations/1764300000009-checks';
import { Webhooks1764300000012 } from './migrations/1764300000012-webhooks';
import { FeedAsWritten1764300000013 } from './migrations/1764300000013-feed-as-written';
import { SubscriptionTokens1764300000017 } from './migrations/1764300000017-subscription-tokens';
import { TaskLifting1764300000024 } from './migrations/1764300000024-task-lifting';
import { ListTypeRules1764300000191 } from './migrations/1764300000191-list-type-rules';
import { RepairDecisionDays1764300000212 } from './migrations/1764300000212-repair-decision-days';
import { TaskHold1764300000221 } from './migrations/1764300000221-task-hold';
import { MeasureBasis1764300000241 } from './migrations/1764300000241-measure-basis';
import { RepresentativeKey1764300000261 } from './migrations/1764300000261-representative-key';
import { MeasureTerms1764300000251 } from './migrations/1764300000251-measure-terms';
import { WithheldFacilitations1764300000271 } from './migrations/1764300000271-withheld-facilitations';
import { TaskEventsFromFeed1764300000311 } from './migrations/1764300000311-task-events-from-feed';
import { RevokedTokens1764300000010 } from '@jrp/auth';
import { IdempotencyKeys1764300000011 } from '@jrp/http';

export const MEASURES_MIGRATIONS = [
  MessagingTables1764300000000,
  DeadLetterResolutions1764300000301,
  OutboxAsSent1764300000302,
  Catalogue1764300000001,
  Tasks1764300000002,
  SeedCatalogue1764300000003,
  Security1764300000004,
  RevokedTokens1764300000010,
  MatchingRules1764300000005,
  CalendarEvents1764300000006,
  CatalogueVersions1764300000007,
  TaskLifecycle1764300000008,
  Checks1764300000009,
  Webhooks1764300000012,
  FeedAsWritten1764300000013,
  SubscriptionTokens1764300000017,
  TaskLifting1764300000024,
  ListTypeRules1764300000191,
  RepairDecisionDays1764300000212,
  TaskHold1764300000221,
  RepresentativeKey1764300000261,
  MeasureTerms1764300000251,
  IdempotencyKeys1764300000011,
  MeasureBasis1764300000241,
  WithheldFacilitations1764300000271,
  TaskEventsFromFeed1764300000311,
];

/**
 * Tables the service's role may only read and append to (no UPDATE, DELETE, TRUNCATE, and never their
 * owner, so it can neither disable their triggers nor drop them): the audit trail. `npm run migrate` and
 * the one-process deployment's embedded PostgreSQL grant them so (grantServiceRole).
 */
export const MEASURES_APPEND_ONLY_TABLES = ['audit_trail'];
