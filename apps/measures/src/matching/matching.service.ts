import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { eventIdOf, ListEntryChangedData, ListEntryEvents, TaskChangedData, TaskEvents, TaskSubjectData } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { matchMeasures } from './match-measures';
import { ExistingTask, planTasks, PlannedTask } from './plan-tasks';
import { TaskFeedRepository } from '../tasks/task-feed.repository';
import { CalendarService } from '../calendar/calendar.service';
import { todayInShanghai } from '@jrp/domain';
import { dueAtOf } from './due-date';

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

/**
 * Brings one entry's tasks in line with its latest state (called in the consumer's transaction).
 * Stale or replayed versions are dropped; tasks, the feed and the outgoing task events are written
 * together, so they can never disagree.
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
    await m.query(
      `INSERT INTO entry_states (entry_id, version, status, list_type, subject_key, region, listed_at, valid_until, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (entry_id) DO UPDATE SET version = $2, status = $3, list_type = $4, subject_key = $5, region = $6,
         listed_at = $7, valid_until = $8, updated_at = now()`,
      [entry.entryId, entry.version, entry.status, entry.listType, entry.subjectKey, entry.region, entry.listedAt, entry.validUntil ?? null],
    );

    const measures = await this.catalogue.measuresForMatching(m, entry.listType);
    const onDate = eventType === ListEntryEvents.Listed ? entry.listedAt : todayInShanghai(new Date(entry.changedAt));
    const desired = matchMeasures(measures, entry, onDate);
    const existing: (ExistingTask & { subject: TaskSubjectData })[] = await m.query(
      `SELECT t.id, t.organization, t.status, t.version, t.measures, t.subject, t.entry_disputed AS "entryDisputed", to_char(t.dispatched_on, 'YYYY-MM-DD') AS "dispatchedOn",
              t.due_at AS "dueAt", o.name AS "organizationName"
       FROM tasks t JOIN organizations o ON o.code = t.organization
       WHERE t.entry_id = $1 ORDER BY t.organization FOR UPDATE OF t`,
      [entry.entryId],
    );
    const subject = taskSubject(entry);
    const disputed = entry.disputed === true;
    const detailsChanged = existing.some((t) => JSON.stringify(t.subject) !== JSON.stringify(subject) || t.entryDisputed !== disputed);
    const plan = planTasks(entry.entryId, existing, desired, detailsChanged);
    if (plan.length === 0) return plan;

    const listTypeName = measures[0]?.listTypeName ?? entry.listType;
    const now = new Date();
    const calendar = await this.calendar.calendar(m);
    const current = new Map(existing.map((t) => [t.id, t as ExistingTask & { dispatchedOn: string | null; dueAt: Date | null }]));
    const dates = plan.map((p) => {
      const before = current.get(p.id);
      if (p.type === 'revoked') return { dispatchedOn: before?.dispatchedOn ?? null, dueAt: before?.dueAt ?? null };
      const dispatchedOn = p.type === 'updated' && before?.dispatchedOn ? before.dispatchedOn : todayInShanghai(now);
      return { dispatchedOn, dueAt: dueAtOf(calendar, dispatchedOn, p.dueWorkingDays!) };
    });
    const snapshots: TaskChangedData[] = plan.map((p, i) => ({
      taskId: p.id,
      version: p.version,
      entryId: entry.entryId,
      entryVersion: entry.version,
      organization: p.organization,
      organizationName: p.organizationName,
      listType: entry.listType,
      listTypeName,
      region: entry.region,
      subject,
      measures: p.measures,
      status: p.status,
      disputed,
      dueAt: dates[i].dueAt ? new Date(dates[i].dueAt!).toISOString() : null,
      changedAt: now.toISOString(),
    }));

    const values: unknown[] = [];
    const rows = snapshots.map((s, i) => {
      values.push(s.taskId, s.entryId, s.entryVersion, s.organization, s.listType, s.region, JSON.stringify(s.subject), JSON.stringify(s.measures), s.status, s.version, disputed, dates[i].dispatchedOn, s.dueAt);
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
