import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ListEntryChangedData, ListEntryEvents, TaskSubjectData } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { OutboxService } from '@jrp/messaging';
import { CalendarService } from '../calendar/calendar.service';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { TaskChange, TaskWriter } from '../tasks/task-writer';
import { dueAtOf } from './due-date';
import { CatalogueMeasure, matchMeasures } from './match-measures';
import { ExistingTask, planTasks, PlannedTask } from './plan-tasks';
import { reassignMeasures } from './reassign-measures';
import { readReassignments } from './reassignments';

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

/** What measures keeps of an entry (entry_states): enough to match it again when the catalogue changes. */
export interface EntryState {
  entryId: string;
  version: number;
  listType: string;
  status: ListEntryChangedData['status'];
  region: string;
  subject: TaskSubjectData;
  hasLegalRepresentative: boolean;
  disputed: boolean;
}

type StoredTask = ExistingTask & {
  subject: TaskSubjectData;
  region: string;
  dispatchedOn: string | null;
  dueAt: Date | null;
  acknowledgedAt: Date | null;
  returnReason: string | null;
};

/**
 * Where a list entry becomes tasks. `reconcile` handles one list-entry change (in the consumer's
 * transaction): stale or replayed versions are dropped, the entry's state is kept, its tasks brought in
 * line. `rematch` does the same for an entry whose list entry did not change but whose catalogue did.
 * Tasks, the feed and the outgoing task events are written together, so they never disagree.
 */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger(MatchingService.name);

  constructor(
    private readonly catalogue: CatalogueRepository,
    private readonly writer: TaskWriter,
    private readonly calendar: CalendarService,
  ) {}

  /**
   * List-entry changes, in order (called in the consumer's transaction with a batch of them). An entry
   * that appears twice is handled in two passes, so its versions apply one after the other; stale or
   * replayed versions are dropped. `listedAt` is the rules' date for a listing, the change date otherwise.
   */
  async reconcile(
    m: EntityManager,
    outbox: OutboxService,
    changes: { entry: ListEntryChangedData; eventType: string }[],
  ): Promise<void> {
    let segment: typeof changes = [];
    const inSegment = new Set<string>();
    for (const change of changes) {
      if (inSegment.has(change.entry.entryId)) {
        await this.reconcileSegment(m, outbox, segment);
        segment = [];
        inSegment.clear();
      }
      segment.push(change);
      inSegment.add(change.entry.entryId);
    }
    if (segment.length) await this.reconcileSegment(m, outbox, segment);
  }

  private async reconcileSegment(
    m: EntityManager,
    outbox: OutboxService,
    changes: { entry: ListEntryChangedData; eventType: string }[],
  ): Promise<void> {
    const known = new Map<string, number>(
      (
        await m.query<{ entry_id: string; version: number }[]>(
          `SELECT entry_id, version FROM entry_states WHERE entry_id = ANY($1::uuid[]) ORDER BY entry_id FOR UPDATE`,
          [changes.map((c) => c.entry.entryId)],
        )
      ).map((r) => [r.entry_id, r.version]),
    );
    const fresh = changes.filter((c) => (known.get(c.entry.entryId) ?? 0) < c.entry.version);
    if (fresh.length < changes.length)
      this.logger.debug(`${changes.length - fresh.length} stale or replayed list-entry change(s) ignored`);
    if (fresh.length === 0) return;
    const states: EntryState[] = fresh.map(({ entry }) => ({
      entryId: entry.entryId,
      version: entry.version,
      listType: entry.listType,
      status: entry.status,
      region: entry.region,
      subject: taskSubject(entry),
      hasLegalRepresentative: Boolean(entry.subject.legalRepresentative),
      disputed: entry.disputed === true,
    }));
    for (let i = 0; i < fresh.length; i += 1000) {
      const chunk = fresh.slice(i, i + 1000);
      const values: unknown[] = [];
      const rows = chunk.map(({ entry }, k) => {
        const state = states[i + k];
        values.push(
          entry.entryId,
          entry.version,
          entry.status,
          entry.listType,
          entry.subjectKey,
          entry.region,
          entry.listedAt,
          entry.validUntil ?? null,
          JSON.stringify(state.subject),
          state.hasLegalRepresentative,
          state.disputed,
        );
        return `(${Array.from({ length: 11 }, (_, n) => `$${k * 11 + n + 1}`).join(', ')}, now())`;
      });
      await m.query(
        `INSERT INTO entry_states (entry_id, version, status, list_type, subject_key, region, listed_at, valid_until, subject,
           has_legal_representative, disputed, updated_at)
         VALUES ${rows.join(', ')}
         ON CONFLICT (entry_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status, list_type = EXCLUDED.list_type,
           subject_key = EXCLUDED.subject_key, region = EXCLUDED.region, listed_at = EXCLUDED.listed_at, valid_until = EXCLUDED.valid_until,
           subject = EXCLUDED.subject, has_legal_representative = EXCLUDED.has_legal_representative, disputed = EXCLUDED.disputed, updated_at = now()`,
        values,
      );
    }
    const work = [];
    for (const [i, { entry, eventType }] of fresh.entries()) {
      const onDate = eventType === ListEntryEvents.Listed ? entry.listedAt : todayInShanghai(new Date(entry.changedAt));
      work.push({
        state: states[i],
        measures: await this.catalogue.measuresForMatching(m, entry.listType),
        onDate,
        known: known.has(entry.entryId),
      });
    }
    await this.apply(m, outbox, work, new Date());
  }

  /** Matches unchanged entries against the current catalogue (re-matching after a new version). */
  async rematch(m: EntityManager, outbox: OutboxService, states: EntryState[], now: Date): Promise<PlannedTask[][]> {
    const work = [];
    for (const state of states)
      work.push({
        state,
        measures: await this.catalogue.measuresForMatching(m, state.listType),
        onDate: todayInShanghai(now),
        known: true,
      });
    return this.apply(m, outbox, work, now);
  }

  /**
   * Plans and writes the task changes of many entries with a handful of set-based statements. `known`:
   * measures had seen the entry before this change. Tasks and reassignments only ever exist for entries
   * it has seen (matching writes the entry's state with its first tasks), so a first listing reads
   * neither: a province's fan-out is almost all first listings.
   */
  private async apply(
    m: EntityManager,
    outbox: OutboxService,
    work: { state: EntryState; measures: CatalogueMeasure[]; onDate: string; known: boolean }[],
    now: Date,
  ): Promise<PlannedTask[][]> {
    const seen = work.filter((w) => w.known).map((w) => w.state.entryId);
    const stored: (StoredTask & { entryId: string })[] =
      seen.length === 0
        ? []
        : await m.query(
            `SELECT t.id, t.entry_id AS "entryId", t.organization, t.status, t.version, t.measures, t.subject, t.region, t.entry_disputed AS "entryDisputed",
              to_char(t.dispatched_on, 'YYYY-MM-DD') AS "dispatchedOn", t.due_at AS "dueAt", o.name AS "organizationName",
              t.acknowledged_at AS "acknowledgedAt", t.return_reason AS "returnReason"
       FROM tasks t JOIN organizations o ON o.code = t.organization
       WHERE t.entry_id = ANY($1::uuid[]) ORDER BY t.entry_id, t.organization FOR UPDATE OF t`,
            [seen],
          );
    const byEntry = new Map<string, StoredTask[]>();
    for (const t of stored) byEntry.set(t.entryId, [...(byEntry.get(t.entryId) ?? []), t]);
    const reassigned = await readReassignments(m, seen);
    const calendar = await this.calendar.calendar(m);
    const plans: PlannedTask[][] = [];
    const snapshots: TaskChange[] = [];
    for (const { state, measures, onDate } of work) {
      const existing = byEntry.get(state.entryId) ?? [];
      const desired = matchMeasures(
        reassignMeasures(measures, reassigned.get(state.entryId) ?? []),
        {
          status: state.status,
          region: state.region,
          subject: { kind: state.subject.kind, hasLegalRepresentative: state.hasLegalRepresentative },
        },
        onDate,
      );
      // a corrected region moves the tasks too (city offices' scope and statistics follow it)
      const detailsChanged = existing.some(
        (t) =>
          JSON.stringify(t.subject) !== JSON.stringify(state.subject) ||
          t.region !== state.region ||
          t.entryDisputed !== state.disputed,
      );
      const plan = planTasks(state.entryId, existing, desired, detailsChanged);
      plans.push(plan);
      const current = new Map(existing.map((t) => [t.id, t]));
      const listTypeName = measures[0]?.listTypeName ?? state.listType;
      for (const p of plan) {
        const before = current.get(p.id);
        let dispatchedOn = before?.dispatchedOn ?? null;
        let dueAt = before?.dueAt ? new Date(before.dueAt) : null;
        if (p.type !== 'revoked') {
          dispatchedOn = p.type === 'updated' && before?.dispatchedOn ? before.dispatchedOn : todayInShanghai(now);
          dueAt = dueAtOf(calendar, dispatchedOn, p.dueWorkingDays!);
        }
        snapshots.push({
          type: p.type,
          dispatchedOn,
          task: {
            taskId: p.id,
            version: p.version,
            entryId: state.entryId,
            entryVersion: state.version,
            organization: p.organization,
            organizationName: p.organizationName,
            listType: state.listType,
            listTypeName,
            region: state.region,
            subject: state.subject,
            measures: p.measures,
            status: p.status,
            disputed: state.disputed,
            dueAt: dueAt ? dueAt.toISOString() : null,
            changedAt: now.toISOString(),
            // a task dispatched again starts over; an update keeps the receipt, a revocation records it as it was
            acknowledgedAt:
              p.type === 'dispatched' || !before?.acknowledgedAt ? null : new Date(before.acknowledgedAt).toISOString(),
            returnReason: p.type === 'dispatched' ? null : (before?.returnReason ?? null),
          },
        });
      }
    }
    await this.writer.write(m, outbox, snapshots);
    return plans;
  }
}
