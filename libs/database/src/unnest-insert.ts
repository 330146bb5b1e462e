import type { EntityManager } from 'typeorm';
import { binaryArray, isBinaryArrayType } from './binary-array';
import { InsertOptions, parameterOf, Table } from './table';

/**
 * The element type of each column of a table (`pg_type.typname`: `uuid`, `int4`, `bpchar`, `jsonb` …),
 * as PostgreSQL has it. Without a length or precision on purpose: the rows' values are then converted to
 * the columns' own types when inserted, with the same checks (and the same errors: a text too long for a
 * `char(6)`, an amount beyond `numeric(18,2)`) as a multi-row VALUES insert.
 */
export type ColumnTypes = ReadonlyMap<string, string>;

/** The statement reading a table's column types (see `ColumnTypes`), in the caller's schema; `$1` is the table's name. */
export const COLUMN_TYPES_SQL = `SELECT a.attname AS "column", t.typname AS "type", t.typcategory = 'A' AS "isArray"
  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`;

/** `ColumnTypes` from the rows of `COLUMN_TYPES_SQL`; throws on an array column, which `unnest` would flatten. */
export function columnTypesOf(table: string, rows: { column: string; type: string; isArray: boolean }[]): ColumnTypes {
  if (rows.length === 0) throw new Error(`table ${table} not found`);
  const arrays = rows.filter((r) => r.isArray).map((r) => r.column);
  if (arrays.length) throw new Error(`${table} has array columns (${arrays.join(', ')}): unnest would flatten them`);
  return new Map(rows.map((r) => [r.column, r.type]));
}

/**
 * One INSERT of all `rows`, each column's values sent as one array parameter and turned back into rows
 * by `unnest` — `INSERT INTO t (a, b) SELECT * FROM unnest($1::uuid[], $2::text[])`: as many parameters
 * as columns, whatever the number of rows, so PostgreSQL parses and plans a small statement instead of
 * one with a parameter per value (the bulk paths' largest statements: a chunk of list entries was 17,500
 * parameters). Stores exactly what `insertStatements` would: the same columns, the same values
 * (JSON values sent as their text), the same `ON CONFLICT` and `RETURNING`. Each array goes in binary
 * when `binaryArray` encodes its column's type and values (see `arrayParameter`). Exported for its unit test.
 */
export function unnestInsertStatement<Row extends object>(
  table: Table<Row>,
  rows: readonly Row[],
  types: ColumnTypes,
  options: Pick<InsertOptions<Row>, 'columns' | 'onConflict' | 'returning'> = {},
): { sql: string; parameters: unknown[] } {
  const { keys, columnList } = table.writeLayout(options.columns);
  const arrays: string[] = [];
  const parameters: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const column = table.column(keys[i]);
    const type = types.get(column.replace(/"/g, ''));
    if (!type) throw new Error(`${table.name} has no column ${column}`);
    const values = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) values[r] = parameterOf(rows[r][keys[i]] ?? null, type);
    parameters.push(arrayParameter(type, values));
    arrays.push(`$${i + 1}::${type}[]`);
  }
  const sql =
    `INSERT INTO ${table.name} (${columnList}) SELECT * FROM unnest(${arrays.join(', ')})` +
    (options.onConflict ? ` ON CONFLICT ${options.onConflict}` : '') +
    (options.returning ? ` RETURNING ${options.returning}` : '');
  return { sql, parameters };
}

/**
 * A column's values as its array parameter: in binary (`binaryArray`: no escaping into a literal, no
 * parsing back) when it encodes the column's type and every value exactly as PostgreSQL would read the
 * literal; otherwise the array itself, which node-postgres sends as a literal for PostgreSQL to read
 * and check as before. So a type it does not encode (`bpchar`, `varchar`, `numeric`, `int8` …), and a
 * value it refuses (a number in a text column, a uuid in braces, a date or time it does not read
 * exactly), keep the literal's result, or its error: a bad value fails as PostgreSQL says it does.
 * Length and precision are checked as before either way, by the insert's conversion to the column.
 */
function arrayParameter(type: string, values: unknown[]): unknown {
  if (!isBinaryArrayType(type)) return values;
  try {
    return binaryArray(type, values);
  } catch (error) {
    if (error instanceof TypeError) return values;
    throw error;
  }
}

/** Runs `unnestInsertStatement` in the caller's transaction (nothing for no rows); the RETURNING rows when asked for. */
export async function unnestInsert<Row extends object, Returned = never>(
  manager: EntityManager,
  table: Table<Row>,
  rows: readonly Row[],
  types: ColumnTypes,
  options: Pick<InsertOptions<Row>, 'columns' | 'onConflict' | 'returning'> = {},
): Promise<Returned[]> {
  if (rows.length === 0) return [];
  const { sql, parameters } = unnestInsertStatement(table, rows, types, options);
  const returned = await manager.query<Returned[]>(sql, parameters);
  return options.returning ? returned : [];
}
