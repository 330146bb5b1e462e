import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TaskChangedData, TaskChangeType } from '@jrp/contracts';
import { DatabaseRepository, Table } from '@jrp/database';
import { TASK_CHANGES_CHANNEL } from './task-change-notifier';

export interface FeedChange {
  seq: string;
  type: TaskChangeType;
  task: TaskChangedData;
}

/** A feed item as written: `task` is the task already serialized (JSON text, stored as written). */
export interface FeedItemColumns {
  seq: string;
  taskId: string;
  organization: string;
  type: TaskChangeType;
  taskVersion: number;
  task: string;
}

export const taskChanges = new Table<FeedItemColumns>('task_changes', {
  seq: { column: 'seq', generated: true },
  taskId: 'task_id',
  organization: 'organization',
  type: 'type',
  taskVersion: 'task_version',
  task: 'task',
});

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

  /** Appends changes, in the transaction open here; `json` is the task already serialized (`JSON.stringify(task)`). */
  async append(changes: { type: FeedChange['type']; task: TaskChangedData; json: string }[]): Promise<void> {
    if (changes.length === 0) return;
    await this.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.task-feed'))`);
    // 10,000 rows (50,000 parameters) a statement: a fan-out writes one row per task
    await this.insertRows(
      taskChanges,
      changes.map((c) => ({
        seq: '',
        taskId: c.task.taskId,
        organization: c.task.organization,
        type: c.type,
        taskVersion: c.task.version,
        task: c.json,
      })),
      { rowsPerStatement: 10000, onConflict: '(task_id, task_version) DO NOTHING' },
    );
    // delivered on commit only; PostgreSQL folds identical notifications of one transaction into one
    const organizations = [...new Set(changes.map((c) => c.task.organization))].join(',');
    await this.query(`SELECT pg_notify($1, current_schema() || '|' || $2)`, [
      TASK_CHANGES_CHANNEL,
      organizations.length <= 7000 ? organizations : '*',
    ]);
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
