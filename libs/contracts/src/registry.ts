import { CalendarChangedData, CataloguePublishedData, OrganizationChangedData } from './catalogue.contract';
import { AuditEvents, CatalogueEvents, FeedbackEvents, ListEntryEvents, TaskEvents, TokenEvents } from './event-types';
import { AuditRecordedData } from './audit.contract';
import { TokenRevokedData, TokenUsedData } from './token.contract';
import { FeedbackCancelledData, FeedbackRecordedData } from './feedback.contract';
import { ListEntryChangedData } from './list-entry.contract';
import { TaskChangedData, TaskHeldData, TaskLiftedData, TaskReleasedData } from './task.contract';

type DataClass = new () => object;

/** The payload class of each event type, used to validate `data` on the way in. */
export const EVENT_DATA_CLASSES: Readonly<Record<string, DataClass>> = {
  ...Object.fromEntries(Object.values(ListEntryEvents).map((t) => [t, ListEntryChangedData])),
  ...Object.fromEntries(Object.values(TaskEvents).map((t) => [t, TaskChangedData])),
  [TaskEvents.Lifted]: TaskLiftedData,
  [TaskEvents.Held]: TaskHeldData,
  [TaskEvents.Released]: TaskReleasedData,
  [FeedbackEvents.Recorded]: FeedbackRecordedData,
  [FeedbackEvents.Corrected]: FeedbackRecordedData,
  [FeedbackEvents.Cancelled]: FeedbackCancelledData,
  [CatalogueEvents.Published]: CataloguePublishedData,
  [CatalogueEvents.OrganizationChanged]: OrganizationChangedData,
  [CatalogueEvents.CalendarChanged]: CalendarChangedData,
  [TokenEvents.Revoked]: TokenRevokedData,
  [TokenEvents.Used]: TokenUsedData,
  [AuditEvents.Recorded]: AuditRecordedData,
};
