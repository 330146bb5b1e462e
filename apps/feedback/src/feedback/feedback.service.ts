import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '@jrp/auth';
import { AuditEntry, AuditRecorder } from '@jrp/audit';
import { eventIdOf, FeedbackCancelledData, FeedbackEvents, FeedbackRecordedData } from '@jrp/contracts';
import { inTransaction } from '@jrp/database';
import { isCalendarDate, todayInShanghai } from '@jrp/domain';
import { FieldError, FieldValidationException } from '@jrp/http';
import { OutgoingEvent, UnitOfWork } from '@jrp/messaging';
import { Clock } from '../clock';
import { isFinal } from '../statistics/definitions';
import { TaskStatistics } from '../statistics/task-statistics';
import { TaskCopyRepository } from '../task-copy/task-copy.repository';
import { CancelFeedbackDto, CorrectFeedbackDto, FeedbackItemDto, RecordFeedbackDto } from './dto/record-feedback.dto';
import { FeedbackRepository, FeedbackView, KnownTask } from './feedback.repository';

/** Checks the items of a feedback against its task: field errors (400), or a refusal on a revoked or held task (409). */
export function checkItems(task: KnownTask, items: FeedbackItemDto[], today: string): void {
  const errors: FieldError[] = [];
  items.forEach((item, i) => {
    const at = (field: string, message: string) => errors.push({ field: `items.${i}.${field}`, message });
    if (!task.measureIds.includes(item.measureId)) at('measureId', `${item.measureId} is not a measure of this task`);
    else if (items.findIndex((x) => x.measureId === item.measureId) !== i) at('measureId', 'appears twice');
    if (item.outcome === 'implemented' && !item.implementedAt)
      at('implementedAt', 'is required when the outcome is implemented');
    if (item.outcome !== 'implemented' && item.implementedAt)
      at('implementedAt', 'is given only when the outcome is implemented');
    if (item.implementedAt && !isCalendarDate(item.implementedAt)) at('implementedAt', 'is not a calendar date');
    else if (item.implementedAt && item.implementedAt > today) at('implementedAt', 'is in the future');
  });
  if (errors.length > 0) throw new FieldValidationException(errors);
  // 异议期间暂停实施: a task held by a pending objection takes no feedback until it is released
  if (task.status === 'on-hold')
    throw new ConflictException('该任务因异议处理暂停实施，暂不接受反馈；异议处理完毕恢复后再反馈');
  if (task.status === 'revoked' && task.revokedAt) {
    // After a revocation only what happened before it can be reported: final outcomes, implemented by then.
    const revokedOn = todayInShanghai(new Date(task.revokedAt));
    const before = items.every(
      (i) => isFinal(i.outcome) && (i.outcome !== 'implemented' || i.implementedAt! <= revokedOn),
    );
    if (!before)
      throw new ConflictException(
        `the task was revoked on ${revokedOn}: only final outcomes of what happened by then can be reported`,
      );
  }
}

/**
 * Feedback per measure item (实施情况反馈) on the caller's tasks: recorded, corrected (a new version) or
 * cancelled (作废, history kept). Each write changes the task's current outcomes and the rollups and
 * announces the new version, in one transaction.
 */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditRecorder,
    private readonly stats: TaskStatistics,
    private readonly repo: FeedbackRepository,
    private readonly tasks: TaskCopyRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Records a new feedback: the task locked and read with its items' current outcomes, then in one
   * statement the feedback and everything it changes (the items' current outcomes, the task's
   * final-outcome time, the rollups) with its event and audit record in the outbox. The answer is built
   * from what was written.
   */
  async record(dto: RecordFeedbackDto, principal: Principal): Promise<FeedbackView> {
    return this.uow.run(async () => {
      const locked = await this.stats.lockForFeedback(dto.taskId);
      if (!locked || locked.task.organization !== principal.organization.code)
        throw new NotFoundException('no such task');
      const { task } = locked;
      const now = this.clock.now();
      checkItems(task, dto.items, todayInShanghai(now));
      const id = randomUUID();
      const { parts, measureOrder } = this.stats.added(locked, { id, at: now, items: dto.items });
      const rank = new Map(measureOrder.map((m, i) => [m, i]));
      const events = this.audit.withRecords(
        [auditEntry('feedback.record', id)],
        [announcement(FeedbackEvents.Recorded, recordedData(id, 1, task, dto.items, now, null))],
      );
      const view = await this.repo.insert(
        {
          id,
          taskId: task.id,
          organization: task.organization,
          tokenId: principal.tokenId,
          at: now,
          items: [...dto.items].sort((a, b) => (rank.get(a.measureId) ?? 0) - (rank.get(b.measureId) ?? 0)),
        },
        parts,
        (params) => this.uow.outbox.appendCtes(events, params),
      );
      this.uow.outbox.appended();
      return view;
    });
  }

  async correct(id: string, dto: CorrectFeedbackDto, principal: Principal): Promise<FeedbackView> {
    return this.uow.run(async () => {
      const { feedback, task, before } = await this.ownFeedback(id, principal);
      const now = this.clock.now();
      checkItems(task, dto.items, todayInShanghai(now));
      const version = feedback.version + 1;
      await this.stats.change(task.id, before, async () => {
        await this.repo.newVersion(id, version, now);
        await this.repo.addVersion({
          feedbackId: id,
          version,
          kind: 'corrected',
          reason: dto.reason,
          recordedAt: now,
          recordedByToken: principal.tokenId,
        });
        await this.repo.insertItems(id, version, task.id, dto.items, now);
      });
      await this.announce(
        FeedbackEvents.Corrected,
        recordedData(id, version, task, dto.items, now, dto.reason),
        'feedback.correct',
      );
      return (await this.repo.view(id))!;
    });
  }

  async cancel(id: string, dto: CancelFeedbackDto, principal: Principal): Promise<FeedbackView> {
    return this.uow.run(async () => {
      const { feedback, task, before } = await this.ownFeedback(id, principal);
      const now = this.clock.now();
      const version = feedback.version + 1;
      await this.stats.change(task.id, before, async () => {
        await this.repo.newVersion(id, version, now, dto.reason);
        await this.repo.addVersion({
          feedbackId: id,
          version,
          kind: 'cancelled',
          reason: dto.reason,
          recordedAt: now,
          recordedByToken: principal.tokenId,
        });
      });
      const data: FeedbackCancelledData = {
        feedbackId: id,
        version,
        taskId: task.id,
        organization: task.organization,
        reason: dto.reason,
        cancelledAt: now.toISOString(),
      };
      await this.announce(FeedbackEvents.Cancelled, data, 'feedback.cancel');
      return (await this.repo.view(id))!;
    });
  }

  /** One feedback with its versions: its organisation's, or the office's (a city office: its city's tasks). */
  async get(id: string, principal: Principal): Promise<FeedbackView> {
    return inTransaction(this.uow.dataSource, async () => {
      const feedback = await this.repo.feedback(id);
      const task = feedback ? await this.tasks.find(feedback.taskId) : undefined;
      if (!feedback || !task || !reaches(principal, task)) throw new NotFoundException('no such feedback');
      return (await this.repo.view(id))!;
    });
  }

  /** The caller's own feedback that still stands, its task locked (and its facts read) first. */
  private async ownFeedback(id: string, principal: Principal) {
    const found = await this.repo.feedback(id);
    if (!found || found.organization !== principal.organization.code) throw new NotFoundException('no such feedback');
    const before = await this.stats.facts(found.taskId);
    const feedback = (await this.repo.feedback(id, true))!;
    const task = (await this.tasks.find(feedback.taskId))!;
    if (feedback.cancelledAt) throw new ConflictException('the feedback was cancelled');
    return { feedback, task, before };
  }

  /** Announces a new version and records its audit record (`action`), in one outbox append. */
  private async announce(
    type: string,
    data: FeedbackRecordedData | FeedbackCancelledData,
    action: FeedbackAction,
  ): Promise<void> {
    await this.audit.recordWithEvents([auditEntry(action, data.feedbackId)], [announcement(type, data)]);
  }
}

type FeedbackAction = 'feedback.record' | 'feedback.correct' | 'feedback.cancel';

const auditEntry = (action: FeedbackAction, feedbackId: string): AuditEntry => ({
  action,
  objectType: 'feedback',
  objectId: feedbackId,
});

/** The event announcing a version of a feedback. */
const announcement = (type: string, data: FeedbackRecordedData | FeedbackCancelledData): OutgoingEvent => ({
  id: eventIdOf('feedback', data.feedbackId, data.version, type),
  type,
  key: data.taskId,
  subject: `feedback/${data.feedbackId}`,
  data,
});

/** Whether a caller reaches a task's feedback: its own organisation's; the office's, a city office only its city's. */
export function reaches(principal: Principal, task: Pick<KnownTask, 'organization' | 'city'>): boolean {
  if (task.organization === principal.organization.code) return true;
  if (!principal.roles.includes('office')) return false;
  return principal.organization.level !== 'city' || task.city === principal.organization.region;
}

function recordedData(
  id: string,
  version: number,
  task: KnownTask,
  items: FeedbackItemDto[],
  at: Date,
  reason: string | null,
): FeedbackRecordedData {
  return {
    feedbackId: id,
    version,
    taskId: task.id,
    organization: task.organization,
    items: items.map((i) => ({
      measureId: i.measureId,
      outcome: i.outcome,
      implementedAt: i.implementedAt ?? null,
      businessType: i.businessType ?? null,
      amount: i.amount ?? null,
      explanation: i.explanation ?? null,
    })),
    recordedAt: at.toISOString(),
    ...(reason ? { reason } : {}),
  };
}
