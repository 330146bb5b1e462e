import { Topics, Topic } from './topics';

/** CloudEvents `type` values, grouped by the topic that carries them. */
export const ListEntryEvents = {
  Listed: 'jrp.list-entry.listed',
  Updated: 'jrp.list-entry.updated',
  MovedToWatch: 'jrp.list-entry.moved-to-watch',
  CommitmentRecorded: 'jrp.list-entry.commitment-recorded',
  TrainingRecorded: 'jrp.list-entry.training-recorded',
  Removed: 'jrp.list-entry.removed',
  Expired: 'jrp.list-entry.expired',
  Disputed: 'jrp.list-entry.disputed',
  ObjectionDecided: 'jrp.list-entry.objection-decided',
  /** Approved credit repair on application (信用修复, 信用修复管理办法 2025): the entry leaves the list. */
  Repaired: 'jrp.list-entry.repaired',
  /** 拟列入: a notice-first entry told to its subject; not listed (no tasks, not public, not counted). */
  Noticed: 'jrp.list-entry.noticed',
  /** 陈述申辩: the subject's statement on a noticed entry was recorded. */
  StatementRecorded: 'jrp.list-entry.statement-recorded',
  /** 已撤回: a noticed entry not listed after all (terminal). */
  Withdrawn: 'jrp.list-entry.withdrawn',
} as const;

export const TaskEvents = {
  Dispatched: 'jrp.task.dispatched',
  Updated: 'jrp.task.updated',
  Revoked: 'jrp.task.revoked',
  Acknowledged: 'jrp.task.acknowledged',
  Returned: 'jrp.task.returned',
  Checked: 'jrp.task.checked',
  Lifted: 'jrp.task.lifted',
  Held: 'jrp.task.held',
  Released: 'jrp.task.released',
} as const;

/** The event type of each kind of task change. */
export const TaskEventOfChange = {
  dispatched: TaskEvents.Dispatched,
  updated: TaskEvents.Updated,
  revoked: TaskEvents.Revoked,
  acknowledged: TaskEvents.Acknowledged,
  returned: TaskEvents.Returned,
  checked: TaskEvents.Checked,
  lifted: TaskEvents.Lifted,
  held: TaskEvents.Held,
  released: TaskEvents.Released,
} as const;

export const FeedbackEvents = {
  Recorded: 'jrp.feedback.recorded',
  Corrected: 'jrp.feedback.corrected',
  Cancelled: 'jrp.feedback.cancelled',
} as const;

export const CatalogueEvents = {
  Published: 'jrp.catalogue.published',
  OrganizationChanged: 'jrp.catalogue.organization-changed',
  CalendarChanged: 'jrp.catalogue.calendar-changed',
} as const;

export const TokenEvents = {
  Revoked: 'jrp.token.revoked',
  Used: 'jrp.token.used',
} as const;

export const AuditEvents = {
  Recorded: 'jrp.audit.recorded',
} as const;

const byTopic: Record<Topic, readonly string[]> = {
  [Topics.ListEntry]: Object.values(ListEntryEvents),
  [Topics.Task]: Object.values(TaskEvents),
  [Topics.Feedback]: Object.values(FeedbackEvents),
  [Topics.Catalogue]: Object.values(CatalogueEvents),
  [Topics.Token]: Object.values(TokenEvents),
  [Topics.Audit]: Object.values(AuditEvents),
};

/** The topic that carries an event type. */
export function topicOf(type: string): Topic {
  for (const [topic, types] of Object.entries(byTopic)) {
    if (types.includes(type)) return topic as Topic;
  }
  throw new Error(`unknown event type ${type}`);
}
