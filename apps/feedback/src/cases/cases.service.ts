import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '@jrp/auth';
import { AuditRecorder } from '@jrp/audit';
import { redactIdNumbers } from '@jrp/crypto';
import { todayInShanghai, isCalendarDate } from '@jrp/domain';
import { decodeSeqCursor, FieldError, FieldValidationException, cursorPage } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { Clock } from '../clock';
import { cityOf } from '../statistics/regions';
import { CASE_MEMORANDUM_ROLLUP, CASE_ROLLUP, RollupsRepository } from '../statistics/rollups.repository';
import { KnownTaskRow, TaskCopyRepository } from '../task-copy/task-copy.repository';
import { CaseRow, CasesRepository, CaseStatus, CaseWithNames } from './cases.repository';
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

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = { draft: '待审核', published: '已公示' };

/**
 * Why a case cannot be published now (409), or null when the office may publish it: a draft its
 * organisation allowed to be published (`publishable`). Pure.
 */
export function publicationRefusal(c: Pick<CaseRow, 'status' | 'publishable'>): string | null {
  if (c.status === 'published') return 'the case is published already (案例已公示)';
  if (!c.publishable) return 'its organisation did not allow the case to be published (报送单位未同意公示)';
  return null;
}

/**
 * Cases (联合奖惩案例): recorded by the implementing organisation on one of its tasks as a draft, read by
 * the office (a city office: its city's) and by their organisation; the office reviews a publishable draft
 * and publishes it (案例公示) with its personal data masked, and only published cases are public.
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
        status: 'draft',
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
      status: q.status,
      limit: (q.limit ?? 100) + 1,
    });
    return cursorPage(rows, q.limit ?? 100, after, (r) => r.seq, view);
  }

  /**
   * The office's review (案例公示): publishes a publishable draft of its reach (a city office: its city's;
   * another's answers 404) with its text masked (`maskPersonalData`: ID numbers, phone numbers, street
   * addresses, and the names of the people its entry names); the case as the public will see it.
   */
  async publish(id: string, principal: Principal): Promise<PublicCaseResponse> {
    return this.uow.run(async () => {
      const found = await this.repo.lock(id);
      // the provincial office reaches every case; an office below it, its city's only
      const city = principal.organization.level === 'province' ? null : cityOf(principal.organization.region);
      if (!found || (city !== null && found.city !== city)) throw new NotFoundException('no such case');
      const refusal = publicationRefusal(found);
      if (refusal) throw new ConflictException(refusal);
      const people = { names: (await this.tasks.find(found.taskId))?.personalNames ?? [] };
      const published = await this.repo.publish(id, {
        publishedAt: this.clock.now(),
        publishedBy: principal.organization.code,
        publishedByToken: principal.tokenId,
        publicTitle: maskPersonalData(found.title, people),
        publicDescription: maskPersonalData(found.description, people),
        publicEffect: maskPersonalData(found.effect, people),
      });
      if (!published) throw new ConflictException('the case is published already (案例已公示)');
      await this.audit.record({ action: 'case.publish', objectType: 'case', objectId: id });
      return publicView((await this.repo.find(id))!);
    });
  }

  /** 案例公示: the published cases, as published (personal data masked), without internal references. */
  async publicList(q: PublicCasesQueryDto) {
    const after = decodeSeqCursor(q.after);
    const rows = await this.repo.published(after, q.city ?? null, (q.limit ?? 50) + 1);
    return cursorPage(rows, q.limit ?? 50, after, (r) => r.seq, publicView);
  }
}

/**
 * A published case as the public sees it: the text stored at publication; a case published before the
 * review step (no stored text) masked as it is read, by its patterns.
 */
function publicView(r: CaseWithNames): PublicCaseResponse {
  return {
    id: r.id,
    title: maskPersonalData(r.publicTitle ?? r.title),
    occurredAt: r.occurredAt,
    region: r.region,
    organizationName: r.organizationName,
    listTypeName: r.listTypeName,
    description: maskPersonalData(r.publicDescription ?? r.description),
    effect: maskPersonalData(r.publicEffect ?? r.effect),
    publishedAt: r.publishedAt ? new Date(r.publishedAt).toISOString() : null,
  };
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
    status: r.status,
    statusLabel: CASE_STATUS_LABELS[r.status],
    publishedAt: r.publishedAt ? new Date(r.publishedAt).toISOString() : null,
  };
}
