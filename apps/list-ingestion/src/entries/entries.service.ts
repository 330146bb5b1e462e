import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { hasRole, Principal } from '@jrp/auth';
import { eventIdOf, ID_NUMBER_CONTEXT, ListEntryChangedData, ListEntryEvents } from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';
import { maskIdNumber } from '@jrp/domain';
import { FieldValidationException } from '@jrp/http';
import { OutboxService, UnitOfWork } from '@jrp/messaging';
import { AuditRecorder } from '@jrp/audit';
import { PublishEntryDto } from './dto/publish-entry.dto';
import { TransitionDto } from './dto/transition.dto';
import { EntryRow, ListEntriesRepository } from './list-entries.repository';

export interface EntryView {
  id: string;
  version: number;
  status: string;
}

/** Publishing list entries and their transitions; every change is versioned and announced. */
@Injectable()
export class EntriesService {
  constructor(
    private readonly personalData: PersonalData,
    private readonly uow: UnitOfWork,
    private readonly entries: ListEntriesRepository,
    private readonly audit: AuditRecorder,
  ) {}

  /** Publishes an entry; the same (list type, subject, document number) is the same entry. */
  async publish(dto: PublishEntryDto, principal: Principal): Promise<{ created: boolean; entry: EntryView }> {
    const identifier = dto.subject.kind === 'legal' ? dto.subject.uscc! : dto.subject.idNumber!;
    const subjectKey = this.personalData.subjectKey(dto.subject.kind, identifier);
    const idNumber = dto.subject.idNumber;
    const repIdNumber = dto.subject.legalRepresentative?.idNumber;
    return this.uow.run(async (m, outbox) => {
      const listType = await this.entries.listType(m, dto.listType);
      if (!listType) throw new FieldValidationException([{ field: 'listType', message: `unknown list type ${dto.listType}` }]);
      this.assertMayPublish(principal, listType.identifyingOrganization, dto.listType);
      if (!listType.subjectKinds.includes(dto.subject.kind)) {
        throw new FieldValidationException([{ field: 'subject.kind', message: `${dto.listType} does not list ${dto.subject.kind} subjects` }]);
      }
      const existing = await this.entries.findByIdentity(m, dto.listType, subjectKey, dto.documentNo);
      if (existing) return { created: false, entry: view(existing) };

      const row: EntryRow = {
        id: randomUUID(),
        version: 1,
        listType: dto.listType,
        status: 'active',
        subjectKey,
        subjectKind: dto.subject.kind,
        subjectName: dto.subject.name,
        subjectUscc: dto.subject.uscc ?? null,
        subjectIdNumberEncrypted: idNumber ? this.personalData.encrypt(idNumber, ID_NUMBER_CONTEXT.subject) : null,
        subjectIdNumberMasked: idNumber ? maskIdNumber(idNumber) : null,
        legalRepName: dto.subject.legalRepresentative?.name ?? null,
        legalRepIdNumberEncrypted: repIdNumber ? this.personalData.encrypt(repIdNumber, ID_NUMBER_CONTEXT.legalRepresentative) : null,
        legalRepIdNumberMasked: repIdNumber ? maskIdNumber(repIdNumber) : null,
        reason: dto.reason,
        decidedBy: dto.decidedBy,
        documentNo: dto.documentNo,
        listedAt: dto.listedAt,
        validUntil: dto.validUntil ?? null,
        region: dto.region,
        publishedBy: principal.organization.code,
      };
      const inserted = await this.entries.insert(m, row);
      if (!inserted) {
        // A concurrent publish of the same entry won the race: answer with it.
        const winner = await this.entries.findByIdentity(m, dto.listType, subjectKey, dto.documentNo);
        return { created: false, entry: view(winner!) };
      }
      await this.record(m, outbox, row, ListEntryEvents.Listed, 'listed', dto.reason, new Date(`${dto.listedAt}T00:00:00+08:00`), principal);
      await this.audit.record(m, outbox, { action: 'list-entry.publish', objectType: 'list-entry', objectId: row.id });
      return { created: true, entry: view(row) };
    });
  }

  async transition(id: string, dto: TransitionDto, principal: Principal): Promise<EntryView> {
    return this.uow.run(async (m, outbox) => {
      const entry = await this.entries.lock(m, id);
      if (!entry) throw new NotFoundException('no such list entry');
      const listType = await this.entries.listType(m, entry.listType);
      this.assertMayPublish(principal, listType?.identifyingOrganization, entry.listType);
      if (entry.status !== 'active' && entry.status !== 'watch') {
        throw new ConflictException(`the entry is ${entry.status}: it cannot be removed`);
      }
      const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(dto.at) ? `${dto.at}T00:00:00+08:00` : dto.at);
      const next: EntryRow = { ...entry, version: entry.version + 1, status: 'removed' };
      await this.entries.updateStatus(m, next, at);
      await this.record(m, outbox, next, ListEntryEvents.Removed, dto.action, dto.reason, at, principal);
      await this.audit.record(m, outbox, { action: `list-entry.${dto.action}`, objectType: 'list-entry', objectId: id });
      return view(next);
    });
  }

  async get(id: string, principal: Principal): Promise<Record<string, unknown>> {
    const entry = await this.entries.find(id);
    if (!entry) throw new NotFoundException('no such list entry');
    if (!hasRole(principal, 'office', 'admin') && entry.publishedBy !== principal.organization.code) {
      throw new NotFoundException('no such list entry');
    }
    await this.audit.recordRead(this.uow, { action: 'list-entry.read', objectType: 'list-entry', objectId: id });
    return this.entries.publicView(entry);
  }

  /** Publishers act on the list types they identify (per the catalogue); the office on all. */
  private assertMayPublish(principal: Principal, identifyingOrganization: string | undefined, listType: string): void {
    if (hasRole(principal, 'office')) return;
    if (hasRole(principal, 'publisher') && identifyingOrganization === principal.organization.code) return;
    throw new ForbiddenException(`${principal.organization.code} does not identify ${listType} entries`);
  }

  private async record(
    m: EntityManager,
    outbox: OutboxService,
    row: EntryRow,
    type: string,
    action: string,
    reason: string,
    at: Date,
    principal: Principal,
  ): Promise<void> {
    await this.entries.addHistory(m, row, action, reason, at, principal);
    const data: ListEntryChangedData = {
      entryId: row.id,
      version: row.version,
      listType: row.listType,
      status: row.status as ListEntryChangedData['status'],
      subjectKey: row.subjectKey,
      subject: {
        kind: row.subjectKind,
        name: row.subjectName,
        ...(row.subjectUscc ? { uscc: row.subjectUscc } : {}),
        ...(row.subjectIdNumberEncrypted ? { idNumberEncrypted: row.subjectIdNumberEncrypted, idNumberMasked: row.subjectIdNumberMasked! } : {}),
        ...(row.legalRepName
          ? {
              legalRepresentative: {
                name: row.legalRepName,
                ...(row.legalRepIdNumberEncrypted ? { idNumberEncrypted: row.legalRepIdNumberEncrypted, idNumberMasked: row.legalRepIdNumberMasked! } : {}),
              },
            }
          : {}),
      },
      reason: row.reason,
      decidedBy: row.decidedBy,
      documentNo: row.documentNo,
      listedAt: row.listedAt,
      validUntil: row.validUntil,
      region: row.region,
      publishedBy: row.publishedBy,
      changedAt: at.toISOString(),
      changeReason: reason,
    };
    await outbox.append(m, [
      { id: eventIdOf('list-entry', row.id, row.version, type), type, key: row.subjectKey, subject: `entries/${row.id}`, data },
    ]);
  }
}

const view = (row: EntryRow): EntryView => ({ id: row.id, version: row.version, status: row.status });
