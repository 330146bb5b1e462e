import { FeedbackOutcome } from '@jrp/contracts';

/** Chinese labels of the outcomes and of a feedback record's states. */
export const OUTCOME_LABELS: Record<FeedbackOutcome, string> = {
  implemented: '已实施',
  'not-applicable': '不适用',
  'no-business': '未发生相关业务',
  'in-progress': '实施中',
};

export const FEEDBACK_STATUS_LABELS = { recorded: '已反馈', corrected: '已更正', cancelled: '已作废' } as const;
export type FeedbackStatus = keyof typeof FEEDBACK_STATUS_LABELS;
