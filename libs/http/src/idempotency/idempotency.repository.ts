import type { DataSource } from 'typeorm';
import { DatabaseRepository, Table, transactionManager } from '@jrp/database';

/** A row of `idempotency_keys`: the first answer to a keyed write, replayed for a repeat. */
export interface IdempotencyKeyRow {
  organization: string;
  key: string;
  requestHash: string;
  /** null only in rows an earlier version left unanswered when its process died. */
  status: number | null;
  response: unknown;
  createdAt: Date;
}

export const idempotencyKeys = new Table<IdempotencyKeyRow>('idempotency_keys', {
  organization: 'organization',
  key: 'key',
  requestHash: 'request_hash',
  status: 'status',
  response: 'response',
  createdAt: { column: 'created_at', generated: true },
});

/** What is stored for a key, and whether it is older than the 24 hours keys are kept. */
export type StoredAnswer = Pick<IdempotencyKeyRow, 'requestHash' | 'status' | 'response'> & { expired: boolean };

/** A service's idempotency keys. Every statement runs in the keyed request's transaction. */
export class IdempotencyRepository extends DatabaseRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Takes the key's transaction-scoped advisory lock, held until the request's transaction ends; false
   * when a request with the key is still running.
   */
  async tryLock(organization: string, key: string): Promise<boolean> {
    const [{ free }] = await transactionManager(this.dataSource).query<{ free: boolean }[]>(
      `SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS free`,
      [organization, key],
    );
    return free;
  }

  async find(organization: string, key: string): Promise<StoredAnswer | undefined> {
    const [row] = await this.query<StoredAnswer[]>(
      `SELECT ${idempotencyKeys.selectList(undefined, ['requestHash', 'status', 'response'])},
         created_at < now() - interval '24 hours' AS expired
       FROM ${idempotencyKeys.name} WHERE organization = $1 AND key = $2`,
      [organization, key],
    );
    return row;
  }

  async delete(organization: string, key: string): Promise<void> {
    await this.query(`DELETE FROM ${idempotencyKeys.name} WHERE organization = $1 AND key = $2`, [organization, key]);
  }

  /** Stores the first answer; `response` is its body as JSON text. */
  async insert(row: Omit<IdempotencyKeyRow, 'createdAt'>): Promise<void> {
    await this.insertRows(idempotencyKeys, [row as IdempotencyKeyRow]);
  }
}
