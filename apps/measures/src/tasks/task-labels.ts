import type { TaskChangeType } from '@jrp/contracts';

/** A task's state as its organisation and the office see it; `fed-back` is learned from feedback. */
export const TASK_VIEW_STATUSES = ['open', 'acknowledged', 'fed-back', 'returned', 'revoked', 'on-hold'] as const;
export type TaskViewStatus = (typeof TASK_VIEW_STATUSES)[number];

export const STATUS_LABELS: Record<TaskViewStatus, string> = {
  open: '待实施',
  acknowledged: '已签收',
  'fed-back': '已反馈',
  returned: '已退回',
  revoked: '已撤销',
  'on-hold': '暂停实施',
};

export const CHANGE_LABELS: Record<TaskChangeType, string> = {
  dispatched: '下发',
  updated: '更新',
  revoked: '撤销',
  acknowledged: '签收',
  returned: '退回',
  checked: '核查',
  lifted: '解除确认',
  held: '暂停',
  released: '恢复',
};
