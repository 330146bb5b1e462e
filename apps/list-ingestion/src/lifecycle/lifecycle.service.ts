import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { entryAccess, entryScopeOf, Principal, targetRefusal } from '@jrp/auth';
import { ID_NUMBER_CONTEXT, ListEntryEvents } from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';
import {
  isCalendarDate,
  maskDocument,
  normaliseIdentityDocument,
  publicationDates,
  todayInShanghai,
} from '@jrp/domain';
import { FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { changedFields, Entry } from '../entries/entry';
import { EntryChange, EntryJournal } from '../entries/entry-journal';
import { transition } from '../entries/lifecycle';
import { KnownListType, ListEntriesRepository } from '../entries/list-entries.repository';
import { WorkingDays } from '../catalogue-copy/working-days';
import { mayPublish } from '../publishing/prepare-entry';
import { validityFollowsPublication } from '../publishing/decide-publish';
import { CorrectEntryDto } from './dto/correct-entry.dto';
import { StatementDto } from './dto/statement.dto';
import { TransitionDto } from './dto/transition.dto';

const EVENT_OF = {
  'moved-to-watch': ListEntryEvents.MovedToWatch,
  'commitment-recorded': ListEntryEvents.CommitmentRecorded,
  'training-recorded': ListEntryEvents.TrainingRecorded,
  removed: ListEntryEvents.Removed,
  listed: ListEntryEvents.Listed,
  withdrawn: ListEntryEvents.Withdrawn,
} as const;

/** A date (Asia/Shanghai midnight) or a timestamp. */
export const instantOf = (at: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T00:00:00+08:00` : at);

/** Transitions and corrections of one entry, by its publisher (the identifying organisation) or the office. */
@Injectable()
export class LifecycleService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly entries: ListEntriesRepository,
    private readonly journal: EntryJournal,
    private readonly personalData: PersonalData,
    private readonly workingDays: WorkingDays,
  ) {}

  async transition(id: string, dto: TransitionDto, principal: Principal): Promise<Entry> {
    return this.uow.run(async () => {
      const entry = await this.lockForChange(id, principal);
      const listType = (await this.entries.listType(entry.listType))!;
      const at = instantOf(dto.at);
      const today = todayInShanghai();
      const effective = todayInShanghai(at);
      const outcome = transition(
        {
          procedure: listType.procedure,
          statementDeadline: entry.statementDeadline,
          statementRecorded: entry.statement !== null,
          status: entry.status,
          colour: listType.colour,
          repairPath: listType.repairPath,
          commitmentRecorded: entry.commitment !== null,
          trainingRecorded: entry.training !== null,
          repairableFrom: entry.repairableFrom,
          // a step neither taken nor dated before the day repair opens
          on: effective < today ? effective : today,
        },
        dto.action,
      );
      if (!outcome.ok)
        throw new ConflictException(
          outcome.repairableFrom
            ? { detail: outcome.reason, errors: [{ field: 'repairableFrom', message: outcome.repairableFrom }] }
            : outcome.statementDeadline
              ? { detail: outcome.reason, errors: [{ field: 'statementDeadline', message: outcome.statementDeadline }] }
              : outcome.reason,
        );
      if (outcome.event === 'listed' || outcome.event === 'withdrawn')
        return this.decideNotice(entry, outcome.event, dto, at, principal);
      const next: Entry = {
        ...entry,
        version: entry.version + 1,
        status: outcome.status,
        commitment: dto.action === 'record-commitment' ? { text: dto.text!, at: at.toISOString() } : entry.commitment,
        training:
          dto.action === 'record-training'
            ? { provider: dto.provider!, hours: dto.hours!, at: at.toISOString() }
            : entry.training,
      };
      await this.entries.update(next, next.status !== entry.status);
      const details =
        dto.action === 'record-commitment'
          ? { text: dto.text }
          : dto.action === 'record-training'
            ? { provider: dto.provider, hours: dto.hours }
            : undefined;
      await this.journal.record(
        [{ entry: next, type: EVENT_OF[outcome.event], action: dto.action, reason: dto.reason, at, details }],
        principal,
      );
      return next;
    });
  }

  /**
   * The decision on a noticed entry (in the transaction open here): listed — `listedAt` becomes the
   * decision's day and the publication dates follow from it, announced as `listed` so measures matches it
   * as any listing — or withdrawn (terminal, `withdrawn`). `reason`: how the statement was considered.
   */
  private async decideNotice(
    entry: Entry,
    outcome: 'listed' | 'withdrawn',
    dto: TransitionDto,
    at: Date,
    principal: Principal,
  ): Promise<Entry> {
    const day = todayInShanghai(at);
    if (entry.notice && day < entry.notice.servedOn)
      throw new FieldValidationException([
        { field: 'at', message: `the decision cannot precede the notice served on ${entry.notice.servedOn}` },
      ]);
    const decision = { outcome, at: day, reason: dto.reason, by: principal.organization.code };
    const next: Entry =
      outcome === 'listed'
        ? { ...(await this.applyCorrection(entry, { listedAt: day })), status: 'active', decision }
        : { ...entry, version: entry.version + 1, status: 'withdrawn', decision };
    await this.entries.update(next, true);
    await this.journal.record(
      [
        {
          entry: next,
          type: EVENT_OF[outcome],
          action: dto.action,
          reason: dto.reason,
          at,
          details: outcome === 'listed' ? { listedAt: day, statementRecorded: entry.statement !== null } : undefined,
        },
      ],
      principal,
    );
    return next;
  }

  /**
   * The subject's statement (陈述申辩) on a noticed entry, recorded by its publisher or the office (a city
   * office: its city's entries): a new version, in the history, announced as `statement-recorded`.
   * 409 once the entry is no longer noticed or a statement is already recorded.
   */
  async recordStatement(id: string, dto: StatementDto, principal: Principal): Promise<Entry> {
    return this.uow.run(async () => {
      const entry = await this.entries.lock(id);
      if (!entry || entryAccess(entryScopeOf(principal), entry, 'read') === 'not-found')
        throw new NotFoundException('no such list entry');
      if (!mayPublish(principal, await this.entries.listType(entry.listType)))
        throw new ForbiddenException(`${principal.organization.code} does not identify ${entry.listType} entries`);
      if (entry.status !== 'noticed')
        throw new ConflictException(
          `a statement (陈述申辩) is recorded only while the entry is noticed (拟列入); it is ${entry.status}`,
        );
      if (entry.statement) throw new ConflictException('the subject’s statement is already recorded');
      const at = instantOf(dto.at);
      const next: Entry = {
        ...entry,
        version: entry.version + 1,
        statement: {
          text: dto.text,
          at: at.toISOString(),
          contact: dto.contact ?? null,
          recordedBy: principal.organization.code,
        },
      };
      await this.entries.update(next, false);
      await this.journal.record(
        [
          {
            entry: next,
            type: ListEntryEvents.StatementRecorded,
            action: 'statement',
            reason: '陈述申辩',
            at,
            details: { text: dto.text, ...(dto.contact ? { contact: dto.contact } : {}) },
          },
        ],
        principal,
      );
      return next;
    });
  }

  async correct(id: string, dto: CorrectEntryDto, principal: Principal): Promise<Entry> {
    return this.uow.run(async () => {
      const entry = await this.lockForChange(id, principal);
      if (entry.status === 'removed' || entry.status === 'expired' || entry.status === 'withdrawn')
        throw new ConflictException(`the entry is ${entry.status}: it can no longer be corrected`);
      const next = await this.applyCorrection(entry, dto);
      this.assertWithinReach(next, principal);
      await this.commitCorrection(entry, next, dto.correctionReason, principal, ListEntryEvents.Updated, 'correct');
      return next;
    });
  }

  /**
   * The entry with the correction's fields; validated as a publish would be. A corrected grade, listing
   * date or validity recomputes the publication dates under the list type's rule set (400 on `grade`
   * for a grade it does not allow); otherwise the dates fixed at listing stay.
   */
  async applyCorrection(entry: Entry, dto: Omit<CorrectEntryDto, 'correctionReason'>): Promise<Entry> {
    const next: Entry = { ...entry, version: entry.version + 1 };
    if (dto.subjectName !== undefined) next.subjectName = dto.subjectName.trim();
    if (dto.reason !== undefined) next.reason = dto.reason;
    if (dto.decidedBy !== undefined) next.decidedBy = dto.decidedBy;
    if (dto.identificationLevel !== undefined) next.identificationLevel = dto.identificationLevel;
    if (dto.listedAt !== undefined) next.listedAt = dto.listedAt;
    if (dto.validUntil !== undefined) next.validUntil = dto.validUntil;
    if (dto.amount !== undefined) next.amount = Number(dto.amount).toFixed(2);
    if (dto.region !== undefined) next.region = dto.region;
    if (dto.legalRepresentative) {
      if (entry.subjectKind !== 'legal')
        throw new FieldValidationException([
          { field: 'legalRepresentative', message: 'a natural person has no legal representative' },
        ]);
      const idType = dto.legalRepresentative.idType ?? 'resident-id';
      const doc = normaliseIdentityDocument(idType, dto.legalRepresentative.idNumber);
      if ('problem' in doc)
        throw new FieldValidationException([
          { field: 'legalRepresentative.idNumber', message: `idNumber ${doc.problem}` },
        ]);
      next.legalRepName = dto.legalRepresentative.name.trim();
      next.legalRepIdType = idType;
      next.legalRepIdNumberEncrypted = this.personalData.encrypt(doc.value, ID_NUMBER_CONTEXT.legalRepresentative);
      next.legalRepIdNumberMasked = maskDocument(idType, doc.value);
    }
    if (next.validUntil && next.validUntil < next.listedAt)
      throw new FieldValidationException([{ field: 'validUntil', message: 'validUntil must not be before listedAt' }]);
    for (const field of ['listedAt', 'validUntil'] as const)
      if (dto[field] !== undefined && !isCalendarDate(dto[field]))
        throw new FieldValidationException([{ field, message: `${field} is not a calendar date` }]);
    if (dto.grade !== undefined || next.listedAt !== entry.listedAt || next.validUntil !== entry.validUntil) {
      // the entry's own validity bounds publication; one that only followed publication follows it again
      const own = dto.validUntil ?? (validityFollowsPublication(entry) ? null : next.validUntil);
      const dates = await this.datesOf({ ...next, validUntil: own }, dto.grade ?? null);
      Object.assign(next, dates, { validUntil: own ?? (dates.grade ? dates.publicUntil : next.validUntil) });
    }
    return next;
  }

  /**
   * The grade and publication dates of an entry under its list type's rule set (400 on `grade` if not
   * allowed): the grade named, else the entry's own while the list type still allows it, else the default.
   */
  private async datesOf(
    entry: Entry,
    grade: Entry['grade'],
  ): Promise<Pick<Entry, 'grade' | 'publicUntil' | 'repairableFrom'>> {
    const listType: KnownListType = (await this.entries.listType(entry.listType))!;
    const kept = listType.grades.some((g) => g.grade === entry.grade) ? entry.grade : null;
    const dates = publicationDates(
      { ...listType, listedAt: entry.listedAt, validUntil: entry.validUntil, grade: grade ?? kept },
      await this.workingDays.calendar(),
    );
    if ('field' in dates) throw new FieldValidationException([dates]);
    return dates;
  }

  /** Writes a correction and records it, in the transaction open here (the caller's). */
  async commitCorrection(
    before: Entry,
    next: Entry,
    reason: string,
    principal: Principal,
    type: EntryChange['type'],
    action: string,
  ): Promise<void> {
    const fields: string[] = changedFields(before, next);
    if (next.legalRepIdNumberEncrypted !== before.legalRepIdNumberEncrypted) fields.push('legalRepIdNumber');
    if (fields.length === 0 && type === ListEntryEvents.Updated)
      throw new ConflictException('the correction changes nothing');
    await this.entries.update(next, next.status !== before.status);
    await this.journal.record([{ entry: next, type, action, reason, at: new Date(), details: { fields } }], principal);
  }

  /** A corrected entry must stay within the caller's reach: a city office keeps it in its city, at the city level (403). */
  assertWithinReach(next: Entry, principal: Principal): void {
    const refusal = targetRefusal(entryScopeOf(principal), next);
    if (refusal) throw new ForbiddenException({ detail: refusal.message, errors: [refusal] });
  }

  /**
   * Locks an entry the caller may change: its identifying publisher or the office; others get 404/403.
   * A city office changes only its city's entries (else 404), and of those only city-level ones (else 403).
   */
  async lockForChange(id: string, principal: Principal): Promise<Entry> {
    const entry = await this.entries.lock(id);
    if (!entry) throw new NotFoundException('no such list entry');
    assertMayDecide(entry, principal);
    if (!mayPublish(principal, await this.entries.listType(entry.listType))) {
      throw new ForbiddenException(`${principal.organization.code} does not identify ${entry.listType} entries`);
    }
    return entry;
  }
}

/** 404 for an entry outside a city office's city, 403 for one at a level it may not decide (see `entryAccess`). */
export function assertMayDecide(entry: Entry, principal: Principal): void {
  const scope = entryScopeOf(principal);
  const access = entryAccess(scope, entry, 'decide');
  if (access === 'not-found') throw new NotFoundException('no such list entry');
  if (access === 'forbidden')
    throw new ForbiddenException(
      `the entry is ${entry.identificationLevel}-level: the caller decides only ${scope.levels.join(', ')}-level entries`,
    );
}
