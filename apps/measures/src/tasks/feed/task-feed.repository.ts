import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TaskChangedData, TaskChangeType } from '@jrp/contracts';
import { TASK_CHANGES_CHANNEL } from './task-change-notifier';

export interface FeedChange {
  seq: string;
  type: TaskChangeType;
  task: TaskChangedData;
}

/**
 * The departments' change feed (task_changes). Appends take a transaction-scoped advisory lock just
 * before writing and hold it to the commit, so `seq` order is commit order: a reader that has seen
 * `seq` n will never later find a committed change below n. Resuming from any cursor has no gap.
 */
@Injectable()
export class TaskFeedRepository {
  constructor(@InjectDataSource('measures') private readonly dataSource: DataSource) {}

  /** Appends changes; `json` is the task already serialized (`JSON.stringify(task)`). */
  async append(
    m: EntityManager,
    changes: { type: FeedChange['type']; task: TaskChangedData; json: string }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await m.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.task-feed'))`);
    // at most 65,535 parameters a statement: 10,000 rows of 5 at a time
    for (let i = 0; i < changes.length; i += 10000) await this.insert(m, changes.slice(i, i + 10000));
    // delivered on commit only; PostgreSQL folds identical notifications of one transaction into one
    const organizations = [...new Set(changes.map((c) => c.task.organization))].join(',');
    await m.query(`SELECT pg_notify($1, current_schema() || '|' || $2)`, [
      TASK_CHANGES_CHANNEL,
      organizations.length <= 7000 ? organizations : '*',
    ]);
  }

  private async insert(
    m: EntityManager,
    changes: { type: FeedChange['type']; task: TaskChangedData; json: string }[],
  ): Promise<void> {
    const values: unknown[] = [];
    const rows = changes.map((c, i) => {
      values.push(c.task.taskId, c.task.organization, c.type, c.task.version, c.json);
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
    });
    await m.query(
      `INSERT INTO task_changes (task_id, organization, type, task_version, task) VALUES ${rows.join(', ')}
       ON CONFLICT (task_id, task_version) DO NOTHING`,
      values,
    );
  }

  /** The organisation's changes after `afterSeq`, oldest first; `types` narrows them (webhook subscriptions). */
  read(organization: string, afterSeq: string, limit: number, types?: readonly string[]): Promise<FeedChange[]> {
    if (types) {
      return this.dataSource.query(
        `SELECT seq, type, task FROM task_changes WHERE organization = $1 AND seq > $2 AND type = ANY($4) ORDER BY seq LIMIT $3`,
        [organization, afterSeq, limit, types],
      );
    }
    return this.dataSource.query(
      `SELECT seq, type, task FROM task_changes WHERE organization = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [organization, afterSeq, limit],
    );
  }
}
