import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { entryAccess, entryScopeOf, Principal } from '@jrp/auth';
import { ListEntryEvents } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { WorkingDays } from '../catalogue-copy/working-days';
import { UnitOfWork } from '@jrp/messaging';
import { Entry } from '../entries/entry';
import { EntryJournal } from '../entries/entry-journal';
import { ListEntriesRepository } from '../entries/list-entries.repository';
import { assertMayDecide, LifecycleService } from '../lifecycle/lifecycle.service';
import { RepairApplicationsService } from '../repairs/repair-applications.service';
import { actsAsPortal } from '../portal/portal-identity';
import { DecideObjectionDto, FileObjectionDto } from './dto/objection.dto';
import { Objection, ObjectionsRepository, ObjectionStatus } from './objections.repository';

/** Objections are answered within this many working days (工作日) of filing. */
export const OBJECTION_WORKING_DAYS = 10;

/**
 * Objections (异议处理): filing marks the entry disputed — the flag travels in events, so departments
 * see 异议处理中 — and the office's decision corrects or removes the entry (upheld) or clears the flag.
 */
@Injectable()
export class ObjectionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly objections: ObjectionsRepository,
    private readonly entries: ListEntriesRepository,
    private readonly journal: EntryJournal,
    private readonly lifecycle: LifecycleService,
    private readonly workingDays: WorkingDays,
    private readonly repairs: RepairApplicationsService,
  ) {}

  async file(entryId: string, dto: FileObjectionDto, principal: Principal) {
    // the portal names the subject and the document number (400 if it does not); others the entry alone
    const identity = this.repairs.portalIdentity(dto, principal);
    return this.uow.run(async () => {
      const entry = await this.entries.lock(entryId);
      // a city office files objections on the entries of its city (whatever their level: it takes them in);
      // the portal only on the entry its subject and document number name (404, whichever part differs)
      if (
        !entry ||
        (identity
          ? !this.repairs.matches(entry, identity)
          : entryAccess(entryScopeOf(principal), entry, 'read') === 'not-found')
      )
        throw new NotFoundException('no such list entry');
      if (entry.status !== 'active' && entry.status !== 'watch')
        throw new ConflictException(`the entry is ${entry.status}: there is nothing left to object to`);
      if (entry.disputed) throw new ConflictException('an objection to this entry is already pending');
      const id = randomUUID();
      const deadline = (await this.workingDays.calendar()).addWorkingDays(todayInShanghai(), OBJECTION_WORKING_DAYS);
      await this.objections.insert({
        id,
        entryId,
        statement: dto.statement,
        contact: dto.contact,
        filedBy: principal.organization.code,
        deadline,
      });
      const next: Entry = { ...entry, disputed: true, version: entry.version + 1 };
      await this.entries.update(next, false);
      await this.journal.record(
        [
          {
            entry: next,
            type: ListEntryEvents.Disputed,
            action: 'objection-filed',
            reason: dto.statement,
            at: new Date(),
            details: { objectionId: id },
          },
        ],
        principal,
      );
      return { id, entryId, status: 'pending', deadline };
    });
  }

  async decide(objectionId: string, dto: DecideObjectionDto, principal: Principal) {
    if (!dto.upheld && dto.corrections)
      throw new BadRequestException({
        detail: 'corrections go with an upheld objection',
        errors: [{ field: 'corrections', message: 'only when upheld is true' }],
      });
    return this.uow.run(async () => {
      const objection = await this.objections.lock(objectionId);
      if (!objection) throw new NotFoundException('no such objection');
      const entry = (await this.entries.lock(objection.entryId))!;
      // a city office decides objections on its city's city-level entries: another city's is not found (404)
      if (entryAccess(entryScopeOf(principal), entry, 'read') === 'not-found')
        throw new NotFoundException('no such objection');
      assertMayDecide(entry, principal);
      if (objection.status !== 'pending') throw new ConflictException(`the objection was already ${objection.status}`);
      let next: Entry = { ...entry, disputed: false, version: entry.version + 1 };
      let outcome = 'rejected: the entry stands';
      if (dto.upheld && dto.corrections) {
        next = { ...(await this.lifecycle.applyCorrection(entry, dto.corrections)), disputed: false };
        this.lifecycle.assertWithinReach(next, principal);
        outcome = 'upheld: the entry is corrected';
      } else if (dto.upheld) {
        next.status = 'removed';
        outcome = 'upheld: the entry is removed';
      }
      const status = dto.upheld ? 'upheld' : 'rejected';
      await this.objections.decide(objectionId, status, principal.organization.code, dto.reason);
      await this.lifecycle.commitCorrection(
        entry,
        next,
        dto.reason,
        principal,
        ListEntryEvents.ObjectionDecided,
        `objection-${status}`,
      );
      return {
        id: objectionId,
        entryId: entry.id,
        status,
        outcome,
        entry: { id: next.id, version: next.version, status: next.status, disputed: next.disputed },
      };
    });
  }

  /** One objection's status: the office (a city office: its city's entries), the portal those it filed; else 404. */
  async get(id: string, principal: Principal) {
    const objection = await this.objections.get(id);
    const entry = objection && (await this.entries.find(objection.entryId));
    const reached =
      objection &&
      entry &&
      (actsAsPortal(principal)
        ? objection.filedBy === principal.organization.code
        : entryAccess(entryScopeOf(principal), entry, 'read') !== 'not-found');
    if (!reached) throw new NotFoundException('no such objection');
    const [view] = await this.views([objection]);
    return view;
  }

  /** The office's queue, oldest first, with the deadline in working days; a city office's: its city's entries. */
  async queue(status: ObjectionStatus, principal: Principal) {
    return this.views(await this.objections.byStatus(status, entryScopeOf(principal).city ?? null));
  }

  private async views(rows: Objection[]) {
    const today = todayInShanghai();
    const calendar = await this.workingDays.calendar();
    return rows.map((r) => ({
      ...r,
      statusLabel: { pending: '待处理', upheld: '异议成立', rejected: '异议不成立' }[r.status],
      workingDaysLeft: r.status === 'pending' ? calendar.workingDaysBetween(today, r.deadline) : null,
      overdue: r.status === 'pending' && r.deadline < today,
    }));
  }
}
