import type { DataSource, EntityManager } from 'typeorm';
import { InsertOptions, insertRows, Table } from './table';
import { currentManager } from './transactions';

/**
 * Base of a repository on a service's data source. Its statements run in the transaction open in the
 * current context (see `inTransaction`), or alone outside one; no method takes a manager.
 */
export abstract class DatabaseRepository {
  constructor(protected readonly dataSource: DataSource) {}

  protected get manager(): EntityManager {
    return currentManager(this.dataSource);
  }

  /** One statement; `Result` is what it returns (rows for a SELECT or a RETURNING). */
  protected query<Result = unknown[]>(sql: string, parameters?: unknown[]): Promise<Result> {
    return this.manager.query<Result>(sql, parameters);
  }

  protected insertRows<Row extends object, Returned = never>(
    table: Table<Row>,
    rows: readonly Row[],
    options?: InsertOptions<Row>,
  ): Promise<Returned[]> {
    return insertRows<Row, Returned>(this.manager, table, rows, options);
  }
}
