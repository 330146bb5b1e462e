import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '@jrp/auth';
import { AuditRecorder } from '@jrp/audit';
import { redactIdNumbers } from '@jrp/crypto';
import { todayInShanghai, isCalendarDate } from '@jrp/domain';
import { decodeSeqCursor, encodeCursor, FieldError, FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { Clock } from '../clock';
import { cityOf } from '../statistics/regions';
import { CASE_MEMORANDUM_ROLLUP, CASE_ROLLUP, RollupsRepository } from '../statistics/rollups.repository';
import { KnownTaskRow, TaskCopyRepository } from '../task-copy/task-copy.repository';
import { CasesRepository, CaseWithNames } from './cases.repository';
import { CaseResponse, PublicCaseResponse } from './dto/case.response';
import { CasesQueryDto, PublicCasesQueryDto, RecordCaseDto } from './dto/case.dto';
import { maskPersonalData } from './personal-data-mask';

/** Checks a case against its task: its measures are the task's, each once; it occurred on a past calendar date. */
export function checkCase(
  dto: Pick<RecordCaseDto, 'measureIds' | 'occurredAt'>,
  task: Pick<KnownTaskRow, 'measureIds'>,
  today: string,
): void {
  const errors: FieldError[] = [];
  dto.measureIds.forEach((id, i) => {
    if (!task.measureIds.includes(id))
      errors.push({ field: `measureIds.${i}`, message: `${id} is not a measure of this task` });
    else if (dto.measureIds.indexOf(id) !== i) errors.push({ field: `measureIds.${i}`, message: 'appears twice' });
  });
  if (!isCalendarDate(dto.occurredAt)) errors.push({ field: 'occurredAt', message: 'is not a calendar date' });
  else if (dto.occurredAt > today) errors.push({ field: 'occurredAt', message: 'is in the future' });
  if (errors.length > 0) throw new FieldValidationException(errors);
}

/**
 * Cases (联合奖惩案例): recorded by the implementing organisation on one of its tasks, read by the office
 * (a city office: its city's) and by their organisation; the publishable ones are public, masked.
 * Counted in case_rollup (and per memorandum) in the transaction that records them.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditRecorder,
    private readonly clock: Clock,
    private readonly repo: CasesRepository,
    private readonly tasks: TaskCopyRepository,
    private readonly rollups: RollupsRepository,
  ) {}

  async record(dto: RecordCaseDto, principal: Principal): Promise<CaseResponse> {
    return this.uow.run(async () => {
      const task = await this.tasks.find(dto.taskId);
      if (!task || task.organization !== principal.organization.code) throw new NotFoundException('no such task');
      checkCase(dto, task, todayInShanghai(this.clock.now()));

      const memoranda = await this.repo.memorandaOf(dto.measureIds);
      const id = randomUUID();
      const city = cityOf(dto.region);
      // feedback holds no ID number: any in the text is masked before it is stored
      await this.repo.insert({
        id,
        taskId: task.id,
        organization: task.organization,
        listType: task.listType,
        measureIds: dto.measureIds,
        memoranda,
        title: redactIdNumbers(dto.title),
        occurredAt: dto.occurredAt,
        region: dto.region,
        city,
        description: redactIdNumbers(dto.description),
        effect: redactIdNumbers(dto.effect),
        publishable: dto.publishable,
        recordedAt: this.clock.now(),
        recordedByToken: principal.tokenId,
      });
      const key = { day: dto.occurredAt, organization: task.organization, listType: task.listType, city };
      await this.rollups.add(
        CASE_ROLLUP.add([{ ...key, cases: 1 }]),
        CASE_MEMORANDUM_ROLLUP.add(memoranda.map((memorandum) => ({ ...key, memorandum, cases: 1 }))),
      );
      await this.audit.record({ action: 'case.record', objectType: 'case', objectId: id });
      return view((await this.repo.find(id))!);
    });
  }

  /** Cases the caller reaches: its own organisation's; the office every one (a city office: its city's). */
  async list(q: CasesQueryDto, principal: Principal) {
    const office = principal.roles.includes('office');
    const after = decodeSeqCursor(q.after);
    const rows = await this.repo.list({
      after,
      organizations: [
        ...(office ? [] : [principal.organization.code]),
        ...(office && q.organization ? [q.organization] : []),
      ],
      cities: [
        ...(office && principal.organization.level === 'city' ? [principal.organization.region] : []),
        ...(q.city ? [q.city] : []),
      ],
      from: q.from,
      to: q.to,
      publishable: q.publishable ? q.publishable === 'true' : undefined,
      limit: q.limit ?? 100,
    });
    return { items: rows.map(view), next: encodeCursor(rows.length ? rows[rows.length - 1].seq : after) };
  }

  /** 案例公示: publishable cases, personal data masked, without internal references. */
  async publicList(q: PublicCasesQueryDto) {
    const after = decodeSeqCursor(q.after);
    const rows = await this.repo.publishable(after, q.city ?? null, q.limit ?? 50);
    return {
      items: rows.map((r): PublicCaseResponse => ({
        id: r.id,
        title: maskPersonalData(r.title),
        occurredAt: r.occurredAt,
        region: r.region,
        organizationName: r.organizationName,
        listTypeName: r.listTypeName,
        description: maskPersonalData(r.description),
        effect: maskPersonalData(r.effect),
      })),
      next: encodeCursor(rows.length ? rows[rows.length - 1].seq : after),
    };
  }
}

/** A case as its organisation and the office see it (no sequence number, no token). */
function view(r: CaseWithNames): CaseResponse {
  return {
    id: r.id,
    taskId: r.taskId,
    organization: r.organization,
    organizationName: r.organizationName,
    listType: r.listType,
    listTypeName: r.listTypeName,
    measureIds: r.measureIds,
    memoranda: r.memoranda,
    title: r.title,
    occurredAt: r.occurredAt,
    region: r.region,
    city: r.city,
    description: r.description,
    effect: r.effect,
    publishable: r.publishable,
    recordedAt: new Date(r.recordedAt).toISOString(),
  };
}
