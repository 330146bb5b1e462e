import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditRecorder } from '@jrp/audit';
import { GRADE_LABELS } from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';
import { FieldValidationException } from '@jrp/http';
import { STATUS_LABELS } from '../entries/entry';
import { ListEntriesRepository } from '../entries/list-entries.repository';
import { RepairApplicationsRepository, RepairReadsRepository } from '../repairs/repair-applications.repository';
import { PortalLookupDto } from './dto/portal-subject.dto';
import { portalIdentityOf } from './portal-identity';

/**
 * What the public credit website (信用网站) may ask on behalf of a subject who names itself and an entry's
 * document number: the entry's id (to file on it), its status and dates, the list type's texts for the
 * subject (basis, removal conditions, remedies) and what is pending — nothing more personal than what
 * the caller gave. Each lookup is a read of personal data, audited under the subject's key.
 */
@Injectable()
export class PortalService {
  constructor(
    private readonly reads: RepairReadsRepository,
    private readonly applications: RepairApplicationsRepository,
    private readonly entries: ListEntriesRepository,
    private readonly personalData: PersonalData,
    private readonly audit: AuditRecorder,
  ) {}

  async lookup(dto: PortalLookupDto) {
    const identity = portalIdentityOf(dto);
    if (Array.isArray(identity)) throw new FieldValidationException(identity);
    const subjectKey = this.personalData.subjectKey(identity.kind, identity.identifier);
    const rows = (await this.reads.byIdentity(subjectKey, identity.documentNo)).filter(
      (e) => e.subjectKind === identity.kind,
    );
    await this.audit.recordRead({ action: 'subject.portal-lookup', objectType: 'subject', objectId: subjectKey });
    if (rows.length === 0) throw new NotFoundException('no list entry for this subject and document number');
    const objections = await this.reads.pendingObjections(rows.map((e) => e.id));
    const items = [];
    for (const e of rows) {
      const listType = await this.entries.listType(e.listType);
      const pending = await this.applications.pendingOf(e.id);
      const objection = objections.find((o) => o.entryId === e.id);
      items.push({
        entryId: e.id,
        listType: e.listType,
        listTypeName: listType?.name ?? e.listType,
        status: e.status,
        statusLabel: STATUS_LABELS[e.status],
        disputed: e.disputed,
        listedAt: e.listedAt,
        grade: e.grade,
        gradeLabel: e.grade ? GRADE_LABELS[e.grade] : null,
        publicUntil: e.publicUntil,
        repairableFrom: e.repairableFrom,
        repairPath: listType?.repairPath ?? null,
        basis: listType?.basis ?? null,
        removalConditions: listType?.removalConditions ?? null,
        remedies: listType?.remedies ?? null,
        pendingRepairApplication: pending
          ? { id: pending.id, filedOn: pending.filedOn, deadline: pending.deadline }
          : null,
        pendingObjection: objection ? { id: objection.id, deadline: objection.deadline } : null,
      });
    }
    return { items };
  }
}
