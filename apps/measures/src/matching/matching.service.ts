import { Inject, Injectable, Logger } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import {
  ID_NUMBER_CONTEXT,
  ListEntryChangedData,
  ListEntryEvents,
  TaskRevocationData,
  TaskSubjectData,
} from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';
import { todayInShanghai, WorkingDayCalendar } from '@jrp/domain';
import { CalendarService } from '../calendar/calendar.service';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { TaskWriter } from '../tasks/task-writer';
import { TasksRepository } from '../tasks/tasks.repository';
import { EntryState, EntryStateRow, EntryStatesRepository } from './entry-states.repository';
import { PlannedTask } from './plan-tasks';
import { ReassignmentsRepository } from './reassignments.repository';
import { revocationOf, revocationReasonOf } from './revocation';
import { MatchWork, StoredTask, taskChangesOf } from './task-changes';

export type { EntryState };

/** The subject as departments see it: ID numbers masked (minimum necessary). */
export function taskSubject(entry: ListEntryChangedData): TaskSubjectData {
  const s = entry.subject;
  return {
    kind: s.kind,
    name: s.name,
    ...(s.uscc ? { uscc: s.uscc } : {}),
    ...(s.idNumberMasked ? { idNumberMasked: s.idNumberMasked } : {}),
    ...(s.legalRepresentative ? { legalRepresentativeName: s.legalRepresentative.name } : {}),
  };
}

/**
 * Where a list entry becomes tasks. `reconcile` handles list-entry changes (in the consumer's
 * transaction): stale or replayed versions are dropped, the entry's state is kept, its tasks brought in
 * line. `rematch` does the same for an entry whose list entry did not change but whose catalogue did.
 * Tasks, the feed and the outgoing task events are written together (TaskWriter), so they never disagree.
 * Both run in the transaction open in the caller's context.
 */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger(MatchingService.name);

  constructor(
    private readonly catalogue: CatalogueRepository,
    private readonly entries: EntryStatesRepository,
    private readonly tasks: TasksRepository,
    private readonly reassignments: ReassignmentsRepository,
    private readonly writer: TaskWriter,
    private readonly calendar: CalendarService,
    @Inject(JrpConfig) private readonly config: JrpConfig,
    private readonly personalData: PersonalData,
  ) {}

  /**
   * List-entry changes, in order (a batch of them, in the consumer's transaction). An entry that appears
   * twice is handled in two passes, so its versions apply one after the other; stale or replayed
   * versions are dropped. `listedAt` is the rules' date for a listing, the change date otherwise.
   */
  async reconcile(changes: { entry: ListEntryChangedData; eventType: string }[]): Promise<void> {
    let segment: typeof changes = [];
    const inSegment = new Set<string>();
    for (const change of changes) {
      if (inSegment.has(change.entry.entryId)) {
        await this.reconcileSegment(segment);
        segment = [];
        inSegment.clear();
      }
      segment.push(change);
      inSegment.add(change.entry.entryId);
    }
    if (segment.length) await this.reconcileSegment(segment);
  }

  private async reconcileSegment(changes: { entry: ListEntryChangedData; eventType: string }[]): Promise<void> {
    const known = await this.entries.lockVersions(changes.map((c) => c.entry.entryId));
    const fresh = changes.filter((c) => (known.get(c.entry.entryId) ?? 0) < c.entry.version);
    if (fresh.length < changes.length)
      this.logger.debug(`${changes.length - fresh.length} stale or replayed list-entry change(s) ignored`);
    if (fresh.length === 0) return;
    const rows: EntryStateRow[] = fresh.map(({ entry }) => ({
      entryId: entry.entryId,
      version: entry.version,
      listType: entry.listType,
      status: entry.status,
      region: entry.region,
      subject: taskSubject(entry),
      hasLegalRepresentative: Boolean(entry.subject.legalRepresentative),
      disputed: entry.disputed === true,
      subjectKey: entry.subjectKey,
      listedAt: entry.listedAt,
      validUntil: entry.validUntil ?? null,
      representativeKey: this.representativeKeyOf(entry),
    }));
    await this.entries.announceReported(rows); // the counter checks' index in every replica, on commit
    await this.entries.upsert(rows);
    const work: (MatchWork & { known: boolean })[] = [];
    const now = new Date();
    const calendar = await this.calendar.calendar();
    for (const [i, { entry, eventType }] of fresh.entries()) {
      const onDate = eventType === ListEntryEvents.Listed ? entry.listedAt : todayInShanghai(new Date(entry.changedAt));
      // an entry that left the list revokes its tasks as of its change (a removal's `at`); a rematch as of now
      const reason = revocationReasonOf(entry.status, eventType);
      work.push({
        state: rows[i],
        measures: await this.catalogue.measuresForMatching(entry.listType),
        onDate,
        known: known.has(entry.entryId),
        revocation: revocationOf(
          reason,
          reason === 'rematch' ? now : new Date(entry.changedAt),
          calendar,
          this.config.liftingDeadlineWorkingDays,
        ),
        termEnded: this.termEnded(now, calendar),
      });
    }
    await this.apply(work, now);
  }

  /**
   * The keyed hash of the entry's legal representative's ID number (法定代表人证件号码), which travels
   * encrypted and normalised: the key a counter check by that person's identifier computes. The clear
   * number lives only in this call.
   */
  private representativeKeyOf(entry: ListEntryChangedData): string | null {
    const encrypted = entry.subject.kind === 'legal' ? entry.subject.legalRepresentative?.idNumberEncrypted : undefined;
    if (!encrypted) return null;
    return this.personalData.subjectKey(
      'natural',
      this.personalData.decrypt(encrypted, ID_NUMBER_CONTEXT.legalRepresentative),
    );
  }

  /** Matches unchanged entries against the current catalogue (re-matching after a new version). */
  async rematch(states: EntryState[], now: Date): Promise<PlannedTask[][]> {
    const work = [];
    const calendar = await this.calendar.calendar();
    for (const state of states)
      work.push({
        state,
        measures: await this.catalogue.measuresForMatching(state.listType),
        onDate: todayInShanghai(now),
        known: true,
        termEnded: this.termEnded(now, calendar),
      });
    return this.apply(work, now);
  }

  /** A task whose measures all ran their terms (期限届满): revoked as of `now`, its lifting to be confirmed. */
  private termEnded(now: Date, calendar: WorkingDayCalendar): TaskRevocationData {
    return revocationOf('term-ended', now, calendar, this.config.liftingDeadlineWorkingDays);
  }

  /**
   * Plans and writes the task changes of many entries with a handful of set-based statements. `known`:
   * measures had seen the entry before this change. Tasks and reassignments only ever exist for entries
   * it has seen (matching writes the entry's state with its first tasks), so a first listing reads
   * neither: a province's fan-out is almost all first listings.
   */
  private async apply(work: (MatchWork & { known: boolean })[], now: Date): Promise<PlannedTask[][]> {
    const seen = work.filter((w) => w.known).map((w) => w.state.entryId);
    const stored = seen.length === 0 ? [] : await this.tasks.lockOfEntries(seen);
    const byEntry = new Map<string, StoredTask[]>();
    for (const t of stored) byEntry.set(t.entryId, [...(byEntry.get(t.entryId) ?? []), t]);
    const reassigned = await this.reassignments.ofEntries(seen);
    const calendar = await this.calendar.calendar();
    const { plans, changes } = taskChangesOf(work, byEntry, reassigned, calendar, now);
    await this.writer.write(changes);
    return plans;
  }
}
