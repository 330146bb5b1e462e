import type { EntityManager } from 'typeorm';

/** How one property of a row is stored: its column, and optionally how it is read back and cast when written. */
export interface ColumnSpec {
  column: string;
  /** The SELECT expression, `$` standing for the column (e.g. `to_char($, 'YYYY-MM-DD')`); the column itself by default. */
  read?: string;
  /** A cast applied to the parameter when written (e.g. `jsonb`, `date`). */
  cast?: string;
  /** Written by the database (a sequence, a default): never in an insert or update. */
  generated?: boolean;
}

/**
 * One table's typed definition: which column holds each property of `Row`. Every statement of the table
 * is built from it (the select list, the column list and the parameters of inserts and updates), so a
 * column is named once.
 */
export class Table<Row extends object> {
  private readonly specs: [keyof Row & string, ColumnSpec][];

  constructor(
    readonly name: string,
    columns: { [K in keyof Row & string]-?: string | ColumnSpec },
  ) {
    this.specs = (Object.entries(columns) as [keyof Row & string, string | ColumnSpec][]).map(([key, spec]) => [
      key,
      typeof spec === 'string' ? { column: spec } : spec,
    ]);
  }

  /** `column AS "property", …` for a SELECT of whole rows, or of the properties given (with a table alias when given). */
  selectList(alias?: string, only?: readonly (keyof Row & string)[]): string {
    return this.specs
      .filter(([key]) => !only || only.includes(key))
      .map(([key, spec]) => {
        const column = alias ? `${alias}.${spec.column}` : spec.column;
        const expression = spec.read ? spec.read.replace(/\$/g, column) : column;
        return expression === key ? expression : `${expression} AS "${key}"`;
      })
      .join(', ');
  }

  /** The properties that are written (all but generated ones), or the subset given, in definition order. */
  writable(only?: readonly (keyof Row & string)[]): (keyof Row & string)[] {
    return this.specs.filter(([key, spec]) => !spec.generated && (!only || only.includes(key))).map(([key]) => key);
  }

  column(key: keyof Row & string): string {
    return this.spec(key).column;
  }

  /** `col_a, col_b, …` of the written properties (or the subset given). */
  columnList(only?: readonly (keyof Row & string)[]): string {
    return this.writable(only)
      .map((key) => this.column(key))
      .join(', ');
  }

  /** `$first, $first+1, …` with casts: one row's parameters in a hand-written statement. */
  placeholders(first: number, only?: readonly (keyof Row & string)[]): string {
    return this.writable(only)
      .map((key, i) => this.placeholder(key, first + i))
      .join(', ');
  }

  /** A row's parameters, in the order of `columnList` and `placeholders`. */
  valuesOf(row: Row, only?: readonly (keyof Row & string)[]): unknown[] {
    return this.writable(only).map((key) => row[key] ?? null);
  }

  /** `$n` or `$n::cast` for a property's parameter. */
  placeholder(key: keyof Row & string, n: number): string {
    const cast = this.spec(key).cast;
    return cast ? `$${n}::${cast}` : `$${n}`;
  }

  private spec(key: keyof Row & string): ColumnSpec {
    const found = this.specs.find(([k]) => k === key);
    if (!found) throw new Error(`${this.name} has no column for ${key}`);
    return found[1];
  }
}

export interface InsertOptions<Row extends object> {
  /** The properties to write; every writable one by default. */
  columns?: readonly (keyof Row & string)[];
  /** What follows `ON CONFLICT`, e.g. `(event_id) DO NOTHING` or `(id) DO UPDATE SET …`. */
  onConflict?: string;
  /** The RETURNING list; its rows are returned, in order, across chunks. */
  returning?: string;
  /**
   * Rows a statement at most (1,000 by default), always within PostgreSQL's parameter limit. A bulk path
   * with narrow rows (a fan-out's tasks and feed rows) takes more to send fewer statements.
   */
  rowsPerStatement?: number;
}

/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 65_535;
const MAX_ROWS = 1_000;

/** The INSERT statements (one per chunk) that write `rows` into `table`. Exported for its unit test. */
export function insertStatements<Row extends object>(
  table: Table<Row>,
  rows: readonly Row[],
  options: InsertOptions<Row> = {},
): { sql: string; parameters: unknown[] }[] {
  const keys = table.writable(options.columns);
  const wanted = options.rowsPerStatement ?? MAX_ROWS;
  const perChunk = Math.max(1, Math.min(wanted, Math.floor(MAX_PARAMETERS / keys.length)));
  const statements: { sql: string; parameters: unknown[] }[] = [];
  for (let start = 0; start < rows.length; start += perChunk) {
    const parameters: unknown[] = [];
    const tuples = rows.slice(start, start + perChunk).map((row) => {
      const first = parameters.length + 1;
      parameters.push(...table.valuesOf(row, keys));
      return `(${table.placeholders(first, keys)})`;
    });
    statements.push({
      sql:
        `INSERT INTO ${table.name} (${table.columnList(keys)}) VALUES ${tuples.join(', ')}` +
        (options.onConflict ? ` ON CONFLICT ${options.onConflict}` : '') +
        (options.returning ? ` RETURNING ${options.returning}` : ''),
      parameters,
    });
  }
  return statements;
}

/**
 * Inserts many rows with as few statements as the parameter limit allows (the set-based writes the
 * benchmarks need), in the caller's transaction. Returns the RETURNING rows when asked for.
 */
export async function insertRows<Row extends object, Returned = never>(
  manager: EntityManager,
  table: Table<Row>,
  rows: readonly Row[],
  options: InsertOptions<Row> = {},
): Promise<Returned[]> {
  const out: Returned[] = [];
  for (const { sql, parameters } of insertStatements(table, rows, options)) {
    const returned = await manager.query<Returned[]>(sql, parameters);
    if (options.returning) out.push(...returned);
  }
  return out;
}
