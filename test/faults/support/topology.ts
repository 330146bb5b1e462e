import {
  AuditEvents,
  CatalogueEvents,
  ConsumerGroups,
  FeedbackEvents,
  ListEntryEvents,
  TaskEvents,
  TokenEvents,
  Topics,
} from '@jrp/contracts';

/**
 * Who reads what on the bus: for each consumer group, the topics it subscribes to and the event types
 * it handles there (the `@ConsumesEvents` handlers of the three services). The suite derives from it
 * which groups must be caught up before a check, and which dead-letter topics each injected poison
 * message must land on (a group sets aside what it cannot read; a contracted type it does not handle
 * it skips).
 */
export const READERS: Record<string, Record<string, readonly string[]>> = {
  [ConsumerGroups.ListIngestion]: {
    [Topics.Catalogue]: Object.values(CatalogueEvents),
    [Topics.Token]: [TokenEvents.Revoked],
  },
  [ConsumerGroups.Measures]: {
    [Topics.ListEntry]: Object.values(ListEntryEvents),
    [Topics.Feedback]: Object.values(FeedbackEvents),
    [Topics.Catalogue]: [CatalogueEvents.CalendarChanged],
    [Topics.Token]: Object.values(TokenEvents),
    [Topics.Audit]: [AuditEvents.Recorded],
  },
  [ConsumerGroups.Feedback]: {
    [Topics.ListEntry]: Object.values(ListEntryEvents),
    [Topics.Task]: Object.values(TaskEvents),
    [Topics.Catalogue]: [CatalogueEvents.Published, CatalogueEvents.OrganizationChanged],
    [Topics.Token]: [TokenEvents.Revoked],
  },
};

export const GROUPS = Object.keys(READERS);
export const TOPICS: string[] = Object.values(Topics);

/** The groups that read a topic. */
export const readersOf = (topic: string): string[] => GROUPS.filter((g) => READERS[g][topic]);

/** The groups that handle an event type on a topic. */
export const handlersOf = (topic: string, type: string): string[] =>
  readersOf(topic).filter((g) => READERS[g][topic].includes(type));
