import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { eventIdOf, ListEntryChangedData, ListEntryEvents, TaskChangedData, TaskEvents, TaskSubjectData } from '@jrp/contracts';
import { todayInShanghai } from '@jrp/domain';
import { OutboxService } from '@jrp/messaging';
import { CalendarService } from '../calendar/calendar.service';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { TaskFeedRepository } from '../tasks/task-feed.repository';
import { dueAtOf } from './due-date';
import { CatalogueMeasure, matchMeasures } from './match-measures';
import { ExistingTask, planTasks, PlannedTask } from './plan-tasks';

const EVENT_TYPE: Record<PlannedTask['type'], string> = {
  dispatched: TaskEvents.Dispatched,
  updated: TaskEvents.Updated,
  revoked: TaskEvents.Revoked,
};

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

type StoredTask = ExistingTask & { subject: TaskSubjectData; dispatchedOn: string | null; dueAt: Date | null };

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
    private readonly feed: TaskFeedRepository,
    private readonly calendar: CalendarService,
  ) {}

  /** `eventType` decides the date the rules are judged on: `listedAt` for a listing, the change date otherwise. */
  async reconcile(m: EntityManager, outbox: OutboxService, entry: ListEntryChangedData, eventType: string): Promise<PlannedTask[]> {
    const [known] = await m.query(`SELECT version FROM entry_states WHERE entry_id = $1 FOR UPDATE`, [entry.entryId]);
    if (known && known.version >= entry.version) {
      this.logger.debug(`entry ${entry.entryId} v${entry.version} is not newer than v${known.version}: ignored`);
      return [];
    }
    const state: EntryState = {
      entryId: entry.entryId,
      version: entry.version,
      listType: entry.listType,
      status: entry.status,
      region: entry.region,
      subject: taskSubject(entry),
      hasLegalRepresentative: Boolean(entry.subject.legalRepresentative),
      disputed: entry.disputed === true,
    };
    await m.query(
      `INSERT INTO entry_states (entry_id, version, status, list_type, subject_key, region, listed_at, valid_until, subject,
         has_legal_representative, disputed, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
       ON CONFLICT (entry_id) DO UPDATE SET version = $2, status = $3, list_type = $4, subject_key = $5, region = $6,
         listed_at = $7, valid_until = $8, subject = $9, has_legal_representative = $10, disputed = $11, updated_at = now()`,
      [entry.entryId, entry.version, entry.status, entry.listType, entry.subjectKey, entry.region, entry.listedAt, entry.validUntil ?? null,
        JSON.stringify(state.subject), state.hasLegalRepresentative, state.disputed],
    );
    const onDate = eventType === ListEntryEvents.Listed ? entry.listedAt : todayInShanghai(new Date(entry.changedAt));
    const measures = await this.catalogue.measuresForMatching(m, entry.listType);
    return this.apply(m, outbox, state, measures, onDate, new Date());
  }

  /** Matches an unchanged entry against the current catalogue (re-matching after a new version). */
  async rematch(m: EntityManager, outbox: OutboxService, state: EntryState, measures: CatalogueMeasure[], now: Date): Promise<PlannedTask[]> {
    return this.apply(m, outbox, state, measures, todayInShanghai(now), now);
  }

  private async apply(m: EntityManager, outbox: OutboxService, state: EntryState, measures: CatalogueMeasure[], onDate: string, now: Date): Promise<PlannedTask[]> {
    const desired = matchMeasures(
      measures,
      { status: state.status, region: state.region, subject: { kind: state.subject.kind, legalRepresentative: state.hasLegalRepresentative ? { name: '' } : null } },
      onDate,
    );
    const existing: StoredTask[] = await m.query(
      `SELECT t.id, t.organization, t.status, t.version, t.measures, t.subject, t.entry_disputed AS "entryDisputed",
              to_char(t.dispatched_on, 'YYYY-MM-DD') AS "dispatchedOn", t.due_at AS "dueAt", o.name AS "organizationName"
       FROM tasks t JOIN organizations o ON o.code = t.organization
       WHERE t.entry_id = $1 ORDER BY t.organization FOR UPDATE OF t`,
      [state.entryId],
    );
    const detailsChanged = existing.some((t) => JSON.stringify(t.subject) !== JSON.stringify(state.subject) || t.entryDisputed !== state.disputed);
    const plan = planTasks(state.entryId, existing, desired, detailsChanged);
    if (plan.length === 0) return plan;

    const listTypeName = measures[0]?.listTypeName ?? state.listType;
    const calendar = await this.calendar.calendar(m);
    const current = new Map(existing.map((t) => [t.id, t]));
    const dates = plan.map((p) => {
      const before = current.get(p.id);
      if (p.type === 'revoked') return { dispatchedOn: before?.dispatchedOn ?? null, dueAt: before?.dueAt ?? null };
      const dispatchedOn = p.type === 'updated' && before?.dispatchedOn ? before.dispatchedOn : todayInShanghai(now);
      return { dispatchedOn, dueAt: dueAtOf(calendar, dispatchedOn, p.dueWorkingDays!) };
    });
    const snapshots: TaskChangedData[] = plan.map((p, i) => ({
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
      dueAt: dates[i].dueAt ? new Date(dates[i].dueAt!).toISOString() : null,
      changedAt: now.toISOString(),
    }));

    const values: unknown[] = [];
    const rows = snapshots.map((s, i) => {
      values.push(s.taskId, s.entryId, s.entryVersion, s.organization, s.listType, s.region, JSON.stringify(s.subject), JSON.stringify(s.measures),
        s.status, s.version, state.disputed, dates[i].dispatchedOn, s.dueAt);
      const b = i * 13;
      return `(${Array.from({ length: 13 }, (_, k) => `$${b + k + 1}`).join(', ')})`;
    });
    await m.query(
      `INSERT INTO tasks (id, entry_id, entry_version, organization, list_type, region, subject, measures, status, version, entry_disputed,
         dispatched_on, due_at)
       VALUES ${rows.join(', ')}
       ON CONFLICT (id) DO UPDATE SET entry_version = EXCLUDED.entry_version, subject = EXCLUDED.subject,
         measures = EXCLUDED.measures, status = EXCLUDED.status, version = EXCLUDED.version,
         entry_disputed = EXCLUDED.entry_disputed, dispatched_on = EXCLUDED.dispatched_on, due_at = EXCLUDED.due_at, updated_at = now()`,
      values,
    );
    await outbox.append(
      m,
      snapshots.map((s, i) => ({
        id: eventIdOf('task', s.taskId, s.version, EVENT_TYPE[plan[i].type]),
        type: EVENT_TYPE[plan[i].type],
        key: s.entryId,
        subject: `tasks/${s.taskId}`,
        data: s,
        time: now,
      })),
    );
    await this.feed.append(m, plan.map((p, i) => ({ type: p.type, task: snapshots[i] })));
    return plan;
  }
}
