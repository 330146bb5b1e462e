import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditRecorder } from '@jrp/audit';
import { TaskCheckData } from '@jrp/contracts';
import { UnitOfWork } from '@jrp/messaging';
import { CatalogueRepository } from '../../catalogue/catalogue.repository';
import { EntryStatesRepository } from '../../matching/entry-states.repository';
import { MatchingService } from '../../matching/matching.service';
import { ReassignmentsRepository } from '../../matching/reassignments.repository';
import { StoredTask, TaskWriter } from '../task-writer';
import { TasksRepository } from '../tasks.repository';
import { decideLifting } from './lifting';

const ACTIVE = ['open', 'acknowledged'];

/** Why a held task refuses receipt and return: its entry's objection is pending (异议期间暂停实施). */
export const ON_HOLD_REFUSAL = '该任务因异议处理暂停实施，异议处理完毕恢复后方可签收、退回或反馈';

/** The refusal of a receipt or return on a task in `status`. */
const notNow = (status: string) =>
  new ConflictException(status === 'on-hold' ? ON_HOLD_REFUSAL : `the task is ${status}`);

/**
 * What organisations and the office do to a task after dispatch: receipt (签收), return (退回),
 * reassignment (改派), and the link of a counter check (核查). Each is one new version of the task;
 * receipt, return and reassignment are audited in their transaction (a repeat too: it was asked for).
 */
@Injectable()
export class TaskStateService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly writer: TaskWriter,
    private readonly matching: MatchingService,
    private readonly tasks: TasksRepository,
    private readonly entries: EntryStatesRepository,
    private readonly reassignments: ReassignmentsRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly audit: AuditRecorder,
  ) {}

  /** Records receipt; repeating it changes nothing. */
  acknowledge(id: string, organization: string): Promise<StoredTask['task']> {
    return this.uow.run(async () => {
      const stored = await this.ownTask(id, organization);
      const { task } = stored;
      await this.audit.record({ action: 'task.acknowledge', objectType: 'task', objectId: id });
      if (task.status === 'acknowledged') return task;
      if (task.status !== 'open') throw notNow(task.status);
      return this.change(stored, 'acknowledged', { status: 'acknowledged', acknowledgedAt: task.changedAt });
    });
  }

  /** Sends a misrouted task back to the office; repeating it changes nothing. */
  return(id: string, organization: string, reason: string): Promise<StoredTask['task']> {
    return this.uow.run(async () => {
      const stored = await this.ownTask(id, organization);
      await this.audit.record({ action: 'task.return', objectType: 'task', objectId: id });
      if (stored.task.status === 'returned') return stored.task;
      if (!ACTIVE.includes(stored.task.status)) throw notNow(stored.task.status);
      return this.change(stored, 'returned', { status: 'returned', returnReason: reason });
    });
  }

  /**
   * 解除确认: the organisation confirms it lifted the measures of a task revoked because its entry left
   * the list. The first confirmation stands (a repeat returns it); a task not revoked, or revoked while
   * its entry is still listed, answers 409; a `liftedAt` before the revocation or in the future 400.
   */
  confirmLifting(id: string, organization: string, liftedAt: string, note: string | null): Promise<StoredTask['task']> {
    return this.uow.run(async () => {
      const stored = await this.ownTask(id, organization);
      await this.audit.record({ action: 'task.lift', objectType: 'task', objectId: id });
      const decision = decideLifting(stored.task, liftedAt, new Date(stored.task.changedAt));
      if (decision.kind === 'already') return stored.task;
      if (decision.kind === 'conflict') throw new ConflictException(decision.message);
      if (decision.kind === 'invalid')
        throw new BadRequestException({
          detail: decision.message,
          errors: [{ field: 'liftedAt', message: decision.message }],
        });
      return this.change(stored, 'lifted', {
        lifting: { liftedAt: decision.liftedAt.toISOString(), note, confirmedAt: stored.task.changedAt },
      });
    });
  }

  /**
   * The office's answer to a returned task: its measures go to `to` for this entry from now on, and the
   * entry is matched again: the returning organisation's task is revoked, `to`'s dispatched or updated.
   * Giving it back to the organisation that returned it dispatches the task to it again.
   */
  reassign(
    id: string,
    to: string,
    reason: string | undefined,
    by: string,
    city?: string,
  ): Promise<{ revoked: string | null; task: string }> {
    return this.uow.run(async () => {
      const found = await this.tasks.entryOf(id);
      if (!found || (city !== undefined && found.region.slice(0, 4) !== city.slice(0, 4)))
        throw new NotFoundException('no such task');
      // entry first, then its tasks: the order matching takes its locks in
      const state = await this.entries.lock(found.entryId);
      const stored = (await this.writer.lock(id))!;
      if (stored.task.status !== 'returned')
        throw new ConflictException(`only a returned task can be reassigned; this one is ${stored.task.status}`);
      if (!(await this.catalogue.organizationExists(to)))
        throw new BadRequestException({
          detail: 'unknown organisation',
          errors: [{ field: 'organization', message: `${to} is not an organisation` }],
        });
      if (to === stored.task.organization) {
        await this.change(stored, 'dispatched', {
          status: 'open',
          returnReason: null,
          acknowledgedAt: null,
        });
        await this.audit.record({ action: 'task.reassign', objectType: 'task', objectId: id });
        return { revoked: null, task: id };
      }
      await this.reassignments.reassign({
        entryId: stored.task.entryId,
        measureIds: stored.task.measures.map((x) => x.id),
        from: stored.task.organization,
        to,
        reason: reason ?? null,
        by,
      });
      const plans = state ? (await this.matching.rematch([state], new Date())).flat() : [];
      const moved = plans.find((p) => p.organization === to && p.type !== 'revoked');
      if (!moved) throw new ConflictException('the entry no longer implies these measures; nothing to reassign');
      await this.audit.record({ action: 'task.reassign', objectType: 'task', objectId: id });
      return { revoked: plans.some((p) => p.id === id && p.type === 'revoked') ? id : null, task: moved.id };
    });
  }

  /**
   * Links a counter check that found the subject listed to the checking organisation's task for the
   * entry (a `checked` change), so feedback on that business counts. Returns the task id, or null when
   * the organisation has no task standing for the entry. Runs in the caller's transaction.
   */
  async recordCheck(taskId: string, organization: string, check: TaskCheckData): Promise<string | null> {
    const stored = await this.writer.lock(taskId, organization);
    if (!stored || !ACTIVE.includes(stored.task.status)) return null;
    await this.change(stored, 'checked', {}, check);
    return taskId;
  }

  private async ownTask(id: string, organization: string): Promise<StoredTask> {
    const stored = await this.writer.lock(id, organization);
    if (!stored) throw new NotFoundException('no such task');
    return stored;
  }

  private async change(
    stored: StoredTask,
    type: 'acknowledged' | 'returned' | 'dispatched' | 'checked' | 'lifted',
    patch: Partial<StoredTask['task']>,
    check?: TaskCheckData,
  ): Promise<StoredTask['task']> {
    const task = { ...stored.task, ...patch, version: stored.task.version + 1, ...(check ? { check } : {}) };
    await this.writer.write([{ type, task, dispatchedOn: stored.dispatchedOn }]);
    return task;
  }
}
