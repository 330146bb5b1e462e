import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TaskChangedData, TaskChangeType } from '@jrp/contracts';
import { binaryArray, DatabaseRepository, Table } from '@jrp/database';
import { NOTIFY_ORIGIN, TASK_CHANGES_CHANNEL } from './task-change-notifier';

export interface FeedChange {
  seq: string;
  type: TaskChangeType;
  task: TaskChangedData;
}

/**
 * A feed item as written: `task` is the task already serialized (JSON text, stored as written). It is
 * also the task's event (the relay sends it by cursor, `TaskEventFeed`): `eventKey`, `changedAt` and
 * `correlationId` are what its envelope needs besides the task (null on rows written before the feed
 * became the events' record, whose events are in the outbox).
 */
export interface FeedItemColumns {
  seq: string;
  taskId: string;
  organization: string;
  type: TaskChangeType;
  taskVersion: number;
  task: string;
  /** The event's message key: the task's entry id, as the task carries it. */
  eventKey: string | null;
  /** The event's time: the task's `changedAt`. */
  changedAt: Date | null;
  correlationId: string | null;
}

export const taskChanges = new Table<FeedItemColumns>('task_changes', {
  seq: { column: 'seq', generated: true },
  taskId: 'task_id',
  organization: 'organization',
  type: 'type',
  taskVersion: 'task_version',
  task: { column: 'task', read: '$::text' },
  eventKey: 'event_key',
  changedAt: 'changed_at',
  correlationId: 'correlation_id',
});

/** The columns the relay reads of a feed row (`task` as the stored text). */
export type UnsentFeedRow = Omit<FeedItemColumns, 'organization'>;
export const UNSENT_COLUMNS = [
  'seq',
  'taskId',
  'type',
  'taskVersion',
  'task',
  'eventKey',
  'changedAt',
  'correlationId',
] as const;

/** The relay's cursor of the task feed in `relay_cursors`. */
const CURSOR = `(SELECT seq FROM relay_cursors WHERE feed = 'task_changes')`;

/**
 * The departments' change feed (task_changes). Appends take a transaction-scoped advisory lock just
 * before writing and hold it to the commit, so `seq` order is commit order: a reader that has seen
 * `seq` n will never later find a committed change below n. Resuming from any cursor has no gap.
 */
@Injectable()
export class TaskFeedRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Appends changes, in the transaction open here; `json` is the task already serialized
   * (`JSON.stringify(task)`), `correlationId` its event's. One statement of eight array parameters
   * however many rows (a fan-out writes one row per task): PostgreSQL parses eight values, not a
   * VALUES list of thousands of rows. The feed's lock is taken by that statement itself, once the
   * parameters are built: it covers only the insert and the commit (every other transaction appending
   * to the feed waits for them).
   */
  async append(
    changes: { type: FeedChange['type']; task: TaskChangedData; json: string; correlationId: string | undefined }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    const n = changes.length;
    const [taskIds, owners, types, versions, tasks, keys, times, correlationIds] = [
      new Array<string>(n),
      new Array<string>(n),
      new Array<string>(n),
      new Array<number>(n),
      new Array<string>(n),
      new Array<string>(n),
      new Array<Date>(n),
      new Array<string | null>(n),
    ];
    for (let i = 0; i < n; i++) {
      const { task, type, json, correlationId } = changes[i];
      taskIds[i] = task.taskId;
      owners[i] = task.organization;
      types[i] = type;
      versions[i] = task.version;
      tasks[i] = json;
      keys[i] = task.entryId;
      times[i] = new Date(task.changedAt);
      correlationIds[i] = correlationId ?? null;
    }
    // in binary (`binaryArray`): the task texts go as they are, not escaped into an array literal. By
    // hand rather than `insertUnnested`: the statement takes the feed's lock and sends its notification too
    // (below), and every value is known to be of its type
    const parameters = [
      binaryArray('uuid', taskIds),
      binaryArray('text', owners),
      binaryArray('text', types),
      binaryArray('int4', versions),
      binaryArray('json', tasks),
      binaryArray('text', keys),
      binaryArray('timestamptz', times),
      binaryArray('text', correlationIds),
    ];
    // One statement takes the feed's lock and inserts: the lock is granted inside it, so it is held for
    // the insert and the commit alone, never while this process's event loop is busy elsewhere between
    // two statements. The lock comes first: every row the insert makes (and the `seq` it takes) needs
    // the one row of `feed_lock`. The NOTIFY is delivered on commit only (PostgreSQL folds identical
    // notifications of one transaction into one).
    const organizations = [...new Set(owners)].join(',');
    await this.query(
      `WITH feed_lock AS MATERIALIZED (
         SELECT pg_notify($9, current_schema() || '|' || $10 || '|' || $11),
                pg_advisory_xact_lock(hashtext(current_schema() || '.task-feed')))
       INSERT INTO task_changes (${taskChanges.columnList()})
       SELECT u.* FROM feed_lock,
         unnest($1::uuid[], $2::text[], $3::text[], $4::int4[], $5::json[], $6::text[], $7::timestamptz[], $8::text[]) AS u
       ON CONFLICT (task_id, task_version) DO NOTHING`,
      [...parameters, TASK_CHANGES_CHANNEL, organizations.length <= 7000 ? organizations : '*', NOTIFY_ORIGIN],
    );
  }

  /** The relay's next rows after its cursor, or after `afterSeq` (read, not yet sent), in `seq` order (under the relay's lock). */
  unsent(limit: number, afterSeq?: string): Promise<UnsentFeedRow[]> {
    return this.query<UnsentFeedRow[]>(
      `SELECT ${taskChanges.selectList(undefined, UNSENT_COLUMNS)} FROM task_changes
       WHERE seq > ${afterSeq === undefined ? CURSOR : '$2'} ORDER BY seq LIMIT $1`,
      afterSeq === undefined ? [limit] : [limit, afterSeq],
    );
  }

  /** Moves the relay's cursor: every row up to `seq` is sent. */
  async advanceRelayCursor(seq: string): Promise<void> {
    await this.query(`UPDATE relay_cursors SET seq = $1 WHERE feed = 'task_changes'`, [seq]);
  }

  /** Rows the relay has not sent, and the age of the oldest in seconds (0 when none). */
  async unsentStats(): Promise<{ n: number; age: number }> {
    const [row] = await this.query<{ n: number; age: number }[]>(
      `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
       FROM task_changes WHERE seq > ${CURSOR}`,
    );
    return row;
  }

  /**
   * Unsent rows older than `seconds` among the first `cap` unsent ones (seq order is commit order, so
   * the oldest come first): a bounded read however long the backlog.
   */
  async staleUnsent(seconds: number, cap: number): Promise<number> {
    const [{ n }] = await this.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (SELECT created_at FROM task_changes WHERE seq > ${CURSOR} ORDER BY seq LIMIT $2) x
       WHERE created_at < now() - make_interval(secs => $1)`,
      [seconds, cap],
    );
    return n;
  }

  /** The organisation's changes after `afterSeq`, oldest first; `types` narrows them (webhook subscriptions). */
  read(organization: string, afterSeq: string, limit: number, types?: readonly string[]): Promise<FeedChange[]> {
    if (types) {
      return this.query<FeedChange[]>(
        `SELECT seq, type, task FROM task_changes WHERE organization = $1 AND seq > $2 AND type = ANY($4) ORDER BY seq LIMIT $3`,
        [organization, afterSeq, limit, types],
      );
    }
    return this.query<FeedChange[]>(
      `SELECT seq, type, task FROM task_changes WHERE organization = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [organization, afterSeq, limit],
    );
  }
}
