import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TaskChangedData } from '@jrp/contracts';

export interface FeedChange {
  seq: string;
  type: 'dispatched' | 'updated' | 'revoked';
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

  async append(m: EntityManager, changes: { type: FeedChange['type']; task: TaskChangedData }[]): Promise<void> {
    if (changes.length === 0) return;
    await m.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.task-feed'))`);
    // at most 65,535 parameters a statement: 10,000 rows of 5 at a time
    for (let i = 0; i < changes.length; i += 10000) await this.insert(m, changes.slice(i, i + 10000));
  }

  private async insert(m: EntityManager, changes: { type: FeedChange['type']; task: TaskChangedData }[]): Promise<void> {
    const values: unknown[] = [];
    const rows = changes.map((c, i) => {
      values.push(c.task.taskId, c.task.organization, c.type, c.task.version, JSON.stringify(c.task));
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
    });
    await m.query(
      `INSERT INTO task_changes (task_id, organization, type, task_version, task) VALUES ${rows.join(', ')}
       ON CONFLICT (task_id, task_version) DO NOTHING`,
      values,
    );
  }

  read(organization: string, afterSeq: string, limit: number): Promise<FeedChange[]> {
    return this.dataSource.query(
      `SELECT seq, type, task FROM task_changes WHERE organization = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [organization, afterSeq, limit],
    );
  }

  async task(id: string, organization: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT t.id, t.entry_id AS "entryId", t.list_type AS "listType", lt.name AS "listTypeName", t.region, t.subject,
              t.measures, t.status, t.entry_disputed AS disputed, t.due_at AS "dueAt", t.version, t.created_at AS "createdAt", t.updated_at AS "updatedAt"
       FROM tasks t LEFT JOIN list_types lt ON lt.code = t.list_type
       WHERE t.id = $1 AND t.organization = $2`,
      [id, organization],
    );
    return row;
  }
}
