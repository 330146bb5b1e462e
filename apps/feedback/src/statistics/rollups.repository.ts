import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';
import { Counters } from './definitions';

/**
 * One data-modifying statement to run together with others in one statement (`combined`): its text, its
 * parameters pushed onto `params` (numbered from there); null when it has nothing to write.
 */
export type StatementPart = (params: unknown[]) => string | null;

/** Named CTEs written by others (`name AS (…), …`), their parameters pushed onto `params`: an outbox append. */
export type NamedCtes = (params: unknown[]) => string;

/**
 * Parts as one statement (one round trip): `ctes` first, then every part but the last a CTE, the last
 * the main statement; null when no part has anything to write. The rollups go last, always in the same
 * order (the task rollup, then the item rollup), so that every change locks rollup rows in the same order.
 */
export function combined(
  parts: readonly StatementPart[],
  params: unknown[],
  ctes: readonly NamedCtes[] = [],
): string | null {
  const named = ctes.map((c) => c(params));
  const statements = parts.map((part) => part(params)).filter((s) => s !== null);
  const last = statements.pop();
  if (last === undefined) return null;
  const all = [...named, ...statements.map((s, i) => `part_${i} AS (${s})`)];
  return all.length === 0 ? last : `WITH ${all.join(', ')} ${last}`;
}

/**
 * A rollup table: counters per key (a day and dimensions), changed by adding deltas. Rows with the same
 * key are summed first, rows whose counters are all zero dropped, and the rest written in key order, so
 * that concurrent changes lock rollup rows in the same order and never deadlock.
 */
export class Rollup<Row extends object> {
  constructor(
    readonly table: Table<Row>,
    private readonly key: (keyof Row & string)[],
    private readonly counters: (keyof Row & string)[],
  ) {}

  /** Adds the counters of `rows` to the rollup: the upsert, null when every counter is zero. */
  add(rows: readonly Row[]): StatementPart {
    return (params) => this.upsert(rows, params);
  }

  private upsert(rows: readonly Row[], params: unknown[]): string | null {
    const sums = new Map<string, Row>();
    for (const row of rows) {
      const id = JSON.stringify(this.key.map((k) => row[k]));
      const sum = sums.get(id);
      if (!sum) sums.set(id, { ...row });
      else for (const c of this.counters) (sum[c] as number) += row[c] as number;
    }
    const changed = [...sums]
      .filter(([, row]) => this.counters.some((c) => row[c] !== 0))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, row]) => row);
    if (changed.length === 0) return null;
    const columns = [...this.key, ...this.counters];
    const tuples = changed.map((row) => `(${this.table.bind(row, params, columns)})`);
    const name = this.table.name;
    const counterColumns = this.counters.map((c) => this.table.column(c));
    return `INSERT INTO ${name} (${this.table.columnList(columns)}) VALUES ${tuples.join(', ')}
       ON CONFLICT (${this.key.map((k) => this.table.column(k)).join(', ')})
       DO UPDATE SET ${counterColumns.map((c) => `${c} = ${name}.${c} + EXCLUDED.${c}`).join(', ')}`;
  }
}

const COUNTER_COLUMNS: { [K in keyof Counters]-?: string } = {
  dispatched: 'dispatched',
  acknowledged: 'acknowledged',
  due: 'due',
  fedBack: 'fed_back',
  onTime: 'on_time',
  itemsFinal: 'items_final',
  itemsImplemented: 'items_implemented',
};
const COUNTER_KEYS = Object.keys(COUNTER_COLUMNS) as (keyof Counters)[];

export type TaskRollupRow = { day: string; organization: string; listType: string; city: string } & Counters;
export type ItemRollupRow = TaskRollupRow & { memorandum: string };

/** task_rollup: task counters per dispatch day, organisation, list type and city. */
export const TASK_ROLLUP = new Rollup(
  new Table<TaskRollupRow>('task_rollup', {
    day: 'day',
    organization: 'organization',
    listType: 'list_type',
    city: 'city',
    ...COUNTER_COLUMNS,
  }),
  ['day', 'organization', 'listType', 'city'],
  COUNTER_KEYS,
);

/** item_rollup: the same counters of measure items, per memorandum too. */
export const ITEM_ROLLUP = new Rollup(
  new Table<ItemRollupRow>('item_rollup', {
    day: 'day',
    memorandum: 'memorandum',
    organization: 'organization',
    listType: 'list_type',
    city: 'city',
    ...COUNTER_COLUMNS,
  }),
  ['day', 'memorandum', 'organization', 'listType', 'city'],
  COUNTER_KEYS,
);

export interface CaseRollupRow {
  day: string;
  organization: string;
  listType: string;
  city: string;
  cases: number;
}
export type CaseMemorandumRollupRow = CaseRollupRow & { memorandum: string };

/** case_rollup: cases per day they occurred, organisation, list type and city. */
export const CASE_ROLLUP = new Rollup(
  new Table<CaseRollupRow>('case_rollup', {
    day: 'day',
    organization: 'organization',
    listType: 'list_type',
    city: 'city',
    cases: 'cases',
  }),
  ['day', 'organization', 'listType', 'city'],
  ['cases'],
);

/** case_memorandum_rollup: a case once under each memorandum its measures come from. */
export const CASE_MEMORANDUM_ROLLUP = new Rollup(
  new Table<CaseMemorandumRollupRow>('case_memorandum_rollup', {
    day: 'day',
    memorandum: 'memorandum',
    organization: 'organization',
    listType: 'list_type',
    city: 'city',
    cases: 'cases',
  }),
  ['day', 'memorandum', 'organization', 'listType', 'city'],
  ['cases'],
);

export interface EntryRollupRow {
  day: string;
  city: string;
  listType: string;
  subjectKind: string;
  national: boolean;
  entries: number;
  committed: number;
  trained: number;
}

/** entry_rollup: list entries per listing day, city, list type, subject kind and level. */
export const ENTRY_ROLLUP = new Rollup(
  new Table<EntryRollupRow>('entry_rollup', {
    day: 'day',
    city: 'city',
    listType: 'list_type',
    subjectKind: 'subject_kind',
    national: 'national',
    entries: 'entries',
    committed: 'committed',
    trained: 'trained',
  }),
  ['day', 'city', 'listType', 'subjectKind', 'national'],
  ['entries', 'committed', 'trained'],
);

/** The rollups (counters per day and dimension), changed by deltas in the transaction of each change. */
@Injectable()
export class RollupsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('feedback') dataSource: DataSource) {
    super(dataSource);
  }

  /** Adds rows to one or more rollups in one statement (one round trip); nothing when every delta is zero. */
  async add(...changes: StatementPart[]): Promise<void> {
    const params: unknown[] = [];
    const sql = combined(changes, params);
    if (sql !== null) await this.query(sql, params);
  }
}
