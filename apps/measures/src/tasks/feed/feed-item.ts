import { encodeCursor } from '@jrp/http';
import { CHANGE_LABELS, STATUS_LABELS } from '../task-labels';
import { FeedChange } from './task-feed.repository';

/** One change as the feed, the stream and webhooks show it: the task as it stood after the change. */
export function feedItem(c: FeedChange) {
  const t = c.task;
  return {
    cursor: encodeCursor(c.seq),
    type: c.type,
    typeLabel: CHANGE_LABELS[c.type],
    task: {
      id: t.taskId,
      version: t.version,
      entryId: t.entryId,
      listType: t.listType,
      listTypeName: t.listTypeName,
      organization: t.organization,
      region: t.region,
      subject: t.subject,
      measures: t.measures,
      status: t.status,
      statusLabel: STATUS_LABELS[t.status],
      disputed: t.disputed === true,
      ...(t.disputed ? { disputedLabel: '异议处理中' } : {}),
      dueAt: t.dueAt ?? null,
      acknowledgedAt: t.acknowledgedAt ?? null,
      ...(t.returnReason ? { returnReason: t.returnReason } : {}),
      ...(t.check ? { check: t.check } : {}),
      // why a revoked task was revoked (期限届满, 移出…) and whether lifting was confirmed, as the snapshot documents
      ...(t.revocation ? { revocation: t.revocation } : {}),
      ...(t.lifting ? { lifting: t.lifting } : {}),
      changedAt: t.changedAt,
    },
  };
}

export type FeedItem = ReturnType<typeof feedItem>;
