import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRecorder } from '@jrp/audit';
import { entryAccess, entryScopeOf, hasRole, Principal } from '@jrp/auth';
import { GRADE_LABELS, ListEntryEvents } from '@jrp/contracts';
import { PersonalData, redactIdNumbers } from '@jrp/crypto';
import { todayInShanghai } from '@jrp/domain';
import { FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { WorkingDays } from '../catalogue-copy/working-days';
import { RepairDecisionDocument, repairDecisionDocument } from '../documents/repair-decision';
import { Entry } from '../entries/entry';
import { EntryJournal } from '../entries/entry-journal';
import { ListEntriesRepository } from '../entries/list-entries.repository';
import { assertMayDecide, instantOf } from '../lifecycle/lifecycle.service';
import { actsAsPortal, PortalIdentity, portalIdentityOf } from '../portal/portal-identity';
import { DecideRepairApplicationDto, FileRepairApplicationDto } from './dto/repair-application.dto';
import {
  RepairApplication,
  RepairApplicationsRepository,
  RepairApplicationStatus,
  RepairReadsRepository,
} from './repair-applications.repository';

const STATUS_LABELS: Record<RepairApplicationStatus, string> = {
  pending: '待决定',
  approved: '准予修复',
  rejected: '不予修复',
};
const CHANNEL_LABELS = { counter: '窗口申请', portal: '信用网站申请' } as const;
const PATH_LABELS = { 'watch-list-2018': '2018年重点关注名单修复路径', none: '不适用信用修复' } as const;

/**
 * Credit repair on application (信用修复申请, 信用修复管理办法 2025): the subject applies — at the
 * office's counter or through the public credit website (`portal`) — once the grade's minimum period has
 * passed; the department that made the finding (谁认定谁修复) or the office decides within the list
 * type's working days. Approval removes the entry in the same transaction (`jrp.list-entry.repaired`), so
 * publication and the measures stop together; rejection leaves it standing with the reason kept.
 */
@Injectable()
export class RepairApplicationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly applications: RepairApplicationsRepository,
    private readonly reads: RepairReadsRepository,
    private readonly entries: ListEntriesRepository,
    private readonly journal: EntryJournal,
    private readonly audit: AuditRecorder,
    private readonly personalData: PersonalData,
    private readonly workingDays: WorkingDays,
  ) {}

  /** The subject a portal filing names, checked (400) — null for other callers, who name the entry by its id alone. */
  portalIdentity(dto: { subject?: FileRepairApplicationDto['subject']; documentNo?: string }, principal: Principal) {
    if (!actsAsPortal(principal)) return null;
    const identity = portalIdentityOf(dto);
    if (Array.isArray(identity)) throw new FieldValidationException(identity);
    return identity;
  }

  /** Whether the entry is the one the portal's subject and document number name (else the caller gets 404). */
  matches(entry: Entry, identity: PortalIdentity): boolean {
    return (
      entry.subjectKind === identity.kind &&
      entry.subjectKey === this.personalData.subjectKey(identity.kind, identity.identifier) &&
      entry.documentNo === identity.documentNo
    );
  }

  async file(entryId: string, dto: FileRepairApplicationDto, principal: Principal) {
    const identity = this.portalIdentity(dto, principal);
    const filedOn = todayInShanghai(instantOf(dto.at));
    if (Number.isNaN(instantOf(dto.at).getTime()) || filedOn > todayInShanghai())
      throw new FieldValidationException([{ field: 'at', message: 'at must be a real date, not in the future' }]);
    return this.uow.run(async () => {
      const entry = await this.entries.lock(entryId);
      if (!entry) throw new NotFoundException('no such list entry');
      if (
        identity ? !this.matches(entry, identity) : entryAccess(entryScopeOf(principal), entry, 'read') === 'not-found'
      )
        throw new NotFoundException('no such list entry');
      const listType = (await this.entries.listType(entry.listType))!;
      if (listType.repairPath !== 'application-2025')
        throw new ConflictException(
          `${listType.name} (${listType.code}) takes the ${listType.repairPath} path (${PATH_LABELS[listType.repairPath]}): it is not repaired on application`,
        );
      if (entry.status !== 'active')
        throw new ConflictException(
          `the entry is ${entry.status}: only an active entry can be repaired on application`,
        );
      if (await this.applications.pendingOf(entryId))
        throw new ConflictException('a repair application for this entry is already pending');
      if (entry.repairableFrom !== null && filedOn < entry.repairableFrom)
        throw new ConflictException({
          detail: `最短公示期未满，${entry.repairableFrom} 起方可申请信用修复 (the minimum publication period has not passed: repairable from ${entry.repairableFrom})`,
          errors: [{ field: 'repairableFrom', message: entry.repairableFrom }],
        });
      const id = randomUUID();
      const deadline = (await this.workingDays.calendar()).addWorkingDays(filedOn, listType.repairDecisionWorkingDays);
      await this.applications.insert({
        id,
        entryId,
        // kept for the decision and its document: an ID number typed into them is masked before storing
        evidence: redactIdNumbers(dto.evidence),
        commitment: redactIdNumbers(dto.commitment),
        filedOn,
        filedBy: principal.organization.code,
        channel: identity ? 'portal' : 'counter',
        decidingOrganization: listType.identifyingOrganization,
        deadline,
      });
      await this.audit.record({ action: 'repair-application.filed', objectType: 'list-entry', objectId: entryId });
      return this.view((await this.applications.get(id))!);
    });
  }

  async decide(id: string, dto: DecideRepairApplicationDto, principal: Principal) {
    return this.uow.run(async () => {
      const application = await this.applications.get(id, true);
      if (!application) throw new NotFoundException('no such repair application');
      const entry = (await this.entries.lock(application.entryId))!;
      this.assertReach(application, entry, principal);
      // a city office decides on its city's city-level entries (another level: 403), as objections
      if (hasRole(principal, 'office')) assertMayDecide(entry, principal);
      if (application.status !== 'pending')
        throw new ConflictException(`the repair application was already ${application.status}`);
      let next = entry;
      if (dto.approved) {
        if (entry.status !== 'active')
          throw new ConflictException(`the entry is ${entry.status}: there is nothing left to repair`);
        next = { ...entry, status: 'removed', version: entry.version + 1 };
        await this.entries.update(next, true);
        await this.journal.record(
          [
            {
              entry: next,
              type: ListEntryEvents.Repaired,
              action: 'repair-approved',
              reason: dto.reason,
              at: new Date(),
              details: { applicationId: id },
            },
          ],
          principal,
        );
      } else {
        await this.audit.record({
          action: 'repair-application.rejected',
          objectType: 'list-entry',
          objectId: entry.id,
        });
      }
      await this.applications.decide(
        id,
        dto.approved ? 'approved' : 'rejected',
        principal.organization.code,
        dto.reason,
      );
      return {
        ...(await this.view((await this.applications.get(id))!)),
        entry: { id: next.id, version: next.version, status: next.status },
      };
    });
  }

  /** One application, to a caller that reaches it (else 404). */
  async get(id: string, principal: Principal) {
    const application = await this.applications.get(id);
    const entry = application && (await this.entries.find(application.entryId));
    if (!application || !entry) throw new NotFoundException('no such repair application');
    this.assertReach(application, entry, principal);
    return this.view(application);
  }

  /** The queue: a deciding department its own; the office all (a city office its city's entries), oldest first. */
  async queue(status: RepairApplicationStatus, principal: Principal) {
    const office = hasRole(principal, 'office');
    const rows = await this.applications.byStatus(status, {
      decidingOrganization: office ? null : principal.organization.code,
      city: office ? (entryScopeOf(principal).city ?? null) : null,
    });
    const calendar = await this.workingDays.calendar();
    const today = todayInShanghai();
    return rows.map((r) => ({ ...this.viewWith(r, calendar, today), evidence: r.evidence, commitment: r.commitment }));
  }

  /** 信用修复决定书: the application and its decision, the subject's identifier masked. */
  async document(id: string, principal: Principal): Promise<RepairDecisionDocument> {
    const application = await this.applications.get(id);
    const entry = application && (await this.entries.find(application.entryId));
    if (!application || !entry) throw new NotFoundException('no such repair application');
    this.assertReach(application, entry, principal);
    const listType = await this.entries.listType(entry.listType);
    await this.audit.recordRead({
      action: 'repair-application.read-document',
      objectType: 'list-entry',
      objectId: entry.id,
    });
    return repairDecisionDocument({
      applicationId: application.id,
      status: application.status,
      subjectName: entry.subjectName,
      subjectIdentifier: entry.subjectUscc ?? entry.subjectIdNumberMasked ?? '',
      listTypeName: listType?.name ?? entry.listType,
      documentNo: entry.documentNo,
      listedAt: entry.listedAt,
      gradeLabel: entry.grade ? GRADE_LABELS[entry.grade] : null,
      repairableFrom: entry.repairableFrom,
      filedOn: application.filedOn,
      evidence: application.evidence,
      commitment: application.commitment,
      decidingOrganization:
        (await this.reads.organizationName(application.decidedBy ?? application.decidingOrganization)) ??
        application.decidedBy ??
        application.decidingOrganization,
      decidedAt: application.decidedAt?.toISOString() ?? null,
      decisionReason: application.decisionReason,
      basis: listType?.basis ?? null,
      remedies: listType?.remedies ?? null,
    });
  }

  /**
   * Who reaches an application (404 otherwise, so existence does not leak): the portal those it filed;
   * an office those on entries in its city; a department those it decides.
   */
  private assertReach(application: RepairApplication, entry: Entry, principal: Principal): void {
    const reached = actsAsPortal(principal)
      ? application.channel === 'portal' && application.filedBy === principal.organization.code
      : hasRole(principal, 'office')
        ? entryAccess(entryScopeOf(principal), entry, 'read') !== 'not-found'
        : hasRole(principal, 'publisher') && application.decidingOrganization === principal.organization.code;
    if (!reached) throw new NotFoundException('no such repair application');
  }

  private async view(application: RepairApplication) {
    return this.viewWith(application, await this.workingDays.calendar(), todayInShanghai());
  }

  private viewWith(
    a: RepairApplication,
    calendar: { workingDaysBetween(from: string, to: string): number },
    today: string,
  ) {
    return {
      id: a.id,
      entryId: a.entryId,
      status: a.status,
      statusLabel: STATUS_LABELS[a.status],
      channel: a.channel,
      channelLabel: CHANNEL_LABELS[a.channel],
      filedOn: a.filedOn,
      filedAt: a.filedAt.toISOString(),
      filedBy: a.filedBy,
      decidingOrganization: a.decidingOrganization,
      deadline: a.deadline,
      workingDaysLeft: a.status === 'pending' ? calendar.workingDaysBetween(today, a.deadline) : null,
      overdue: a.status === 'pending' && a.deadline < today,
      decidedAt: a.decidedAt?.toISOString() ?? null,
      decisionReason: a.decisionReason,
    };
  }
}
