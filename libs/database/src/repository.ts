import type { DataSource, EntityManager } from 'typeorm';
import { InsertOptions, insertRows, Table } from './table';
import { currentManager } from './transactions';
import { COLUMN_TYPES_SQL, ColumnTypes, columnTypesOf, unnestInsert } from './unnest-insert';

/** Each data source's column types, per table, read once (see `insertUnnested`). */
const columnTypes = new WeakMap<DataSource, Map<string, Promise<ColumnTypes>>>();

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

  /**
   * `insertRows` in one statement of one array parameter a column (`unnestInsertStatement`: in binary
   * where it can), for the bulk paths' wide rows; the table's column types are read from PostgreSQL the
   * first time. Not for a table with array columns.
   */
  protected async insertUnnested<Row extends object, Returned = never>(
    table: Table<Row>,
    rows: readonly Row[],
    options?: Pick<InsertOptions<Row>, 'columns' | 'onConflict' | 'returning'>,
  ): Promise<Returned[]> {
    if (rows.length === 0) return [];
    let tables = columnTypes.get(this.dataSource);
    if (!tables) columnTypes.set(this.dataSource, (tables = new Map<string, Promise<ColumnTypes>>()));
    let types = tables.get(table.name);
    if (!types) {
      types = this.manager
        .query<{ column: string; type: string; isArray: boolean }[]>(COLUMN_TYPES_SQL, [table.name])
        .then((found) => columnTypesOf(table.name, found));
      tables.set(table.name, types);
      types.catch(() => tables.delete(table.name)); // read again next time
    }
    return unnestInsert<Row, Returned>(this.manager, table, rows, await types, options);
  }
}
