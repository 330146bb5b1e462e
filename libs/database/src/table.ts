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
  private readonly byKey: Map<string, ColumnSpec>;
  /**
   * What statements need of a set of written properties, computed once per set: the hot paths (a
   * fan-out's millions of task and feed rows, every outbox event) build their parameters row by row.
   */
  private readonly layouts = new Map<string, WriteLayout<Row>>();
  private readonly selectLists = new Map<string, string>();

  constructor(
    readonly name: string,
    columns: { [K in keyof Row & string]-?: string | ColumnSpec },
  ) {
    this.specs = (Object.entries(columns) as [keyof Row & string, string | ColumnSpec][]).map(([key, spec]) => [
      key,
      typeof spec === 'string' ? { column: spec } : spec,
    ]);
    this.byKey = new Map(this.specs);
  }

  /** `column AS "property", …` for a SELECT of whole rows, or of the properties given (with a table alias when given). */
  selectList(alias?: string, only?: readonly (keyof Row & string)[]): string {
    const memo = `${alias ?? ''}|${only?.join(',') ?? '*'}`;
    let list = this.selectLists.get(memo);
    if (list === undefined) {
      list = this.specs
        .filter(([key]) => !only || only.includes(key))
        .map(([key, spec]) => {
          const column = alias ? `${alias}.${spec.column}` : spec.column;
          const expression = spec.read ? spec.read.replace(/\$/g, column) : column;
          return expression === key ? expression : `${expression} AS "${key}"`;
        })
        .join(', ');
      this.selectLists.set(memo, list);
    }
    return list;
  }

  /** The properties that are written (all but generated ones), or the subset given, in definition order. */
  writable(only?: readonly (keyof Row & string)[]): readonly (keyof Row & string)[] {
    return this.writeLayout(only).keys;
  }

  column(key: keyof Row & string): string {
    return this.spec(key).column;
  }

  /** `col_a, col_b, …` of the written properties (or the subset given). */
  columnList(only?: readonly (keyof Row & string)[]): string {
    return this.writeLayout(only).columnList;
  }

  /** `$first, $first+1, …` with casts: one row's parameters in a hand-written statement. */
  placeholders(first: number, only?: readonly (keyof Row & string)[]): string {
    const { casts } = this.writeLayout(only);
    let out = '';
    for (let i = 0; i < casts.length; i++) {
      if (i > 0) out += ', ';
      out += casts[i] ? `$${first + i}::${casts[i]}` : `$${first + i}`;
    }
    return out;
  }

  /** A row's parameters, in the order of `columnList` and `placeholders` (JSON values as their text: `parameterOf`). */
  valuesOf(row: Row, only?: readonly (keyof Row & string)[]): unknown[] {
    const { keys, casts } = this.writeLayout(only);
    const values = new Array<unknown>(keys.length);
    for (let i = 0; i < keys.length; i++) values[i] = parameterOf(row[keys[i]] ?? null, casts[i]);
    return values;
  }

  /**
   * One row's parameters in a hand-written statement: its written values (or those of the properties
   * given) pushed onto `params`, JSON values as their text (`parameterOf`), and their placeholders,
   * numbered on from the parameters already there, with the columns' casts: `$7, $8::jsonb, …`. A
   * VALUES list types a parameter by its column; a SELECT list (`INSERT … SELECT id, $7, … FROM x`)
   * reads an uncast one as text, so a table written that way declares a cast for each column that is
   * not text.
   */
  bind(row: Row, params: unknown[], only?: readonly (keyof Row & string)[]): string {
    const { keys, casts } = this.writeLayout(only);
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      const n = params.push(parameterOf(row[keys[i]] ?? null, casts[i]));
      if (i > 0) out += ', ';
      out += casts[i] ? `$${n}::${casts[i]}` : `$${n}`;
    }
    return out;
  }

  /** `$n` or `$n::cast` for a property's parameter. */
  placeholder(key: keyof Row & string, n: number): string {
    const cast = this.spec(key).cast;
    return cast ? `$${n}::${cast}` : `$${n}`;
  }

  /** The written properties' keys, casts and column list (computed once per set of properties). */
  writeLayout(only?: readonly (keyof Row & string)[]): WriteLayout<Row> {
    const memo = only?.join(',') ?? '*';
    let layout = this.layouts.get(memo);
    if (!layout) {
      const written = this.specs.filter(([key, spec]) => !spec.generated && (!only || only.includes(key)));
      layout = {
        keys: written.map(([key]) => key),
        casts: written.map(([, spec]) => spec.cast),
        columnList: written.map(([, spec]) => spec.column).join(', '),
      };
      this.layouts.set(memo, layout);
    }
    return layout;
  }

  private spec(key: keyof Row & string): ColumnSpec {
    const found = this.byKey.get(key);
    if (!found) throw new Error(`${this.name} has no column for ${key}`);
    return found;
  }
}

/**
 * A value as the parameter of a column of `type` (a cast, or the column's PostgreSQL type): a JSON
 * value as its text, unless it is text already (the caller's serialization, stored as written).
 * node-postgres would serialize an object itself, but send an array as a SQL array, not as JSON.
 */
export function parameterOf(value: unknown, type: string | undefined): unknown {
  return (type === 'json' || type === 'jsonb') && value !== null && typeof value !== 'string'
    ? JSON.stringify(value)
    : value;
}

export interface WriteLayout<Row> {
  keys: (keyof Row & string)[];
  casts: (string | undefined)[];
  columnList: string;
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
  const { keys, casts, columnList } = table.writeLayout(options.columns);
  const wanted = options.rowsPerStatement ?? MAX_ROWS;
  const perChunk = Math.max(1, Math.min(wanted, Math.floor(MAX_PARAMETERS / keys.length)));
  const tail =
    (options.onConflict ? ` ON CONFLICT ${options.onConflict}` : '') +
    (options.returning ? ` RETURNING ${options.returning}` : '');
  const statements: { sql: string; parameters: unknown[] }[] = [];
  for (let start = 0; start < rows.length; start += perChunk) {
    const end = Math.min(rows.length, start + perChunk);
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (let r = start; r < end; r++) {
      const row = rows[r];
      let tuple = '(';
      for (let i = 0; i < keys.length; i++) {
        parameters.push(parameterOf(row[keys[i]] ?? null, casts[i]));
        const n = parameters.length;
        tuple += (i > 0 ? ', $' : '$') + n + (casts[i] ? `::${casts[i]}` : '');
      }
      tuples.push(tuple + ')');
    }
    statements.push({
      sql: `INSERT INTO ${table.name} (${columnList}) VALUES ${tuples.join(', ')}${tail}`,
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
