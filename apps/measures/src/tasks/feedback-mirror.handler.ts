import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ConsumerGroups, FeedbackCancelledData, FeedbackEvents, FeedbackRecordedData } from '@jrp/contracts';
import { ConsumesEvents } from '@jrp/messaging';
import { TasksRepository } from './tasks.repository';

/**
 * Mirrors feedback into the tasks it concerns, so a task shows its outcome per measure and whether it
 * is fed back (已反馈). Feedback's own service stays the owner; this is a read model. Each event is
 * handled in the consumer's inbox transaction.
 */
@Controller()
export class FeedbackMirrorHandler {
  constructor(private readonly tasks: TasksRepository) {}

  @ConsumesEvents([FeedbackEvents.Recorded, FeedbackEvents.Corrected], ConsumerGroups.Measures)
  async onFeedback(@Payload() feedback: FeedbackRecordedData): Promise<void> {
    // not this organisation's task: nothing to mirror
    if (!(await this.tasks.lockOwned(feedback.taskId, feedback.organization))) return;
    await this.tasks.upsertFeedback(feedback);
    await this.tasks.recomputeFeedback(feedback.taskId);
  }

  /** A cancelled feedback (作废) stops counting; an earlier version arriving later changes nothing. */
  @ConsumesEvents(FeedbackEvents.Cancelled, ConsumerGroups.Measures)
  async onCancelled(@Payload() cancelled: FeedbackCancelledData): Promise<void> {
    if (!(await this.tasks.lockOwned(cancelled.taskId, cancelled.organization))) return;
    await this.tasks.cancelFeedback(cancelled);
    await this.tasks.recomputeFeedback(cancelled.taskId);
  }
}
