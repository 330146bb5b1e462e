import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { ConsumerGroups, FeedbackCancelledData, FeedbackEvents, FeedbackRecordedData } from '@jrp/contracts';
import { ConsumerContext, ConsumesEvents } from '@jrp/messaging';

/**
 * Mirrors feedback into the tasks it concerns, so a task shows its outcome per measure and whether it
 * is fed back (已反馈). Feedback's own service stays the owner; this is a read model.
 */
@Controller()
export class FeedbackMirrorHandler {
  @ConsumesEvents([FeedbackEvents.Recorded, FeedbackEvents.Corrected], ConsumerGroups.Measures)
  async onFeedback(@Payload() feedback: FeedbackRecordedData, @Ctx() { manager: m }: ConsumerContext): Promise<void> {
    if (!(await this.lockTask(m, feedback))) return; // not this organisation's task: nothing to mirror
    await m.query(
      `INSERT INTO task_feedback (feedback_id, version, task_id, items, recorded_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (feedback_id) DO UPDATE SET version = EXCLUDED.version, items = EXCLUDED.items, recorded_at = EXCLUDED.recorded_at
       WHERE task_feedback.version < EXCLUDED.version`,
      [feedback.feedbackId, feedback.version, feedback.taskId, JSON.stringify(feedback.items), feedback.recordedAt],
    );
    await this.recompute(m, feedback.taskId);
  }

  /** A cancelled feedback (作废) stops counting; an earlier version arriving later changes nothing. */
  @ConsumesEvents(FeedbackEvents.Cancelled, ConsumerGroups.Measures)
  async onCancelled(
    @Payload() cancelled: FeedbackCancelledData,
    @Ctx() { manager: m }: ConsumerContext,
  ): Promise<void> {
    if (!(await this.lockTask(m, cancelled))) return;
    await m.query(
      `INSERT INTO task_feedback (feedback_id, version, task_id, items, recorded_at, cancelled) VALUES ($1, $2, $3, '[]', $4, true)
       ON CONFLICT (feedback_id) DO UPDATE SET version = EXCLUDED.version, cancelled = true WHERE task_feedback.version < EXCLUDED.version`,
      [cancelled.feedbackId, cancelled.version, cancelled.taskId, cancelled.cancelledAt],
    );
    await this.recompute(m, cancelled.taskId);
  }

  private async lockTask(m: EntityManager, feedback: { taskId: string; organization: string }): Promise<boolean> {
    const [task] = await m.query<({ id: string } | undefined)[]>(
      `SELECT id FROM tasks WHERE id = $1 AND organization = $2 FOR UPDATE`,
      [feedback.taskId, feedback.organization],
    );
    return !!task;
  }

  /** The task's latest outcome per measure over its feedback that stands, and whether it is fed back. */
  private async recompute(m: EntityManager, taskId: string): Promise<void> {
    await m.query(
      `WITH latest AS (
         SELECT coalesce(jsonb_object_agg(measure_id, item), '{}') AS feedback FROM (
           SELECT DISTINCT ON (i ->> 'measureId') i ->> 'measureId' AS measure_id,
                  jsonb_build_object('outcome', i ->> 'outcome', 'implementedAt', i -> 'implementedAt', 'recordedAt', f.recorded_at, 'feedbackId', f.feedback_id) AS item
           FROM task_feedback f, jsonb_array_elements(f.items) i
           WHERE f.task_id = $1 AND NOT f.cancelled ORDER BY i ->> 'measureId', f.recorded_at DESC) x)
       UPDATE tasks SET feedback = latest.feedback, fed_back_at = task_fed_back_at(tasks.measures, latest.feedback) FROM latest WHERE tasks.id = $1`,
      [taskId],
    );
  }
}
