/** One organisation's row of the completion report (完成情况). */
export interface CompletionRow {
  organization: string;
  organizationName: string;
  dispatched: number;
  revoked: number;
  withFeedback: number;
  feedbackRate: number | null;
}

/**
 * feedbackRate = tasks with feedback ÷ tasks that still call for feedback (dispatched, minus those
 * revoked before any feedback). Null when nothing is due.
 */
export function feedbackRate(dispatched: number, revokedWithoutFeedback: number, withFeedback: number): number | null {
  const due = dispatched - revokedWithoutFeedback;
  return due > 0 ? Math.round((withFeedback / due) * 10000) / 10000 : null;
}
