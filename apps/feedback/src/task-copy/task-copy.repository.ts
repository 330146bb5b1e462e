import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

/** One row of feedback's copy of a task. */
export interface KnownTaskRow {
  id: string;
  version: number;
  entryId: string;
  organization: string;
  organizationName: string;
  listType: string;
  listTypeName: string;
  region: string;
  city: string;
  measureIds: string[];
  status: string;
  dispatchedAt: Date;
  /** The calendar day (Asia/Shanghai) it was dispatched, YYYY-MM-DD. */
  dispatchedOn: string;
  /** Read back as a Date; written as the event's ISO 8601 text. */
  dueAt: Date | string | null;
  acknowledgedAt: Date | string | null;
  returnedAt: Date | null;
  revokedAt: Date | null;
  updatedAt: Date;
  fedBackAt: Date | null;
  /**
   * The names of the people the task's entry names (a natural-person subject, the legal representative),
   * kept only to mask them in a published case (`maskPersonalData`).
   */
  personalNames: string[];
  /** A revoked task's revocation: why (repair, removal, expiry, objection-upheld, rematch, term-ended) and when it took effect. */
  revocationReason: string | null;
  revocationAt: Date | string | null;
  /** Lifting is to be confirmed by then; null when none is owed. */
  liftBy: Date | string | null;
  /** 解除确认: when the measures were lifted, the note, when the confirmation was recorded. */
  liftedAt: Date | string | null;
  liftNote: string | null;
  liftConfirmedAt: Date | string | null;
}

/** `known_tasks`: the tasks as feedback knows them from task events. */
export const knownTasks = new Table<KnownTaskRow>('known_tasks', {
  id: 'id',
  version: 'version',
  entryId: 'entry_id',
  organization: 'organization',
  organizationName: 'organization_name',
  listType: 'list_type',
  listTypeName: 'list_type_name',
  region: 'region',
  city: 'city',
  measureIds: 'measure_ids',
  status: 'status',
  dispatchedAt: 'dispatched_at',
  dispatchedOn: { column: 'dispatched_on', read: "to_char($, 'YYYY-MM-DD')" },
  dueAt: 'due_at',
  acknowledgedAt: 'acknowledged_at',
  returnedAt: 'returned_at',
  revokedAt: 'revoked_at',
  updatedAt: 'updated_at',
  fedBackAt: 'fed_back_at',
  personalNames: 'personal_names',
  revocationReason: 'revocation_reason',
  revocationAt: 'revocation_at',
  liftBy: 'lift_by',
  liftedAt: 'lifted_at',
  liftNote: 'lift_note',
  liftConfirmedAt: 'lift_confirmed_at',
});

/** What a task event writes: everything but the times the database and the statistics keep (null here). */
export type TaskCopy = Omit<KnownTaskRow, 'updatedAt' | 'fedBackAt'>;

const WRITTEN: (keyof TaskCopy)[] = [
  'id',
  'version',
  'entryId',
  'organization',
  'organizationName',
  'listType',
  'listTypeName',
  'region',
  'city',
  'measureIds',
  'status',
  'dispatchedAt',
  'dispatchedOn',
  'dueAt',
  'acknowledgedAt',
  'returnedAt',
  'revokedAt',
  'personalNames',
  'revocationReason',
  'revocationAt',
  'liftBy',
  'liftedAt',
  'liftNote',
  'liftConfirmedAt',
];

/**
 * On a change of a known task: the organisation, the entry and the dispatch time stay as first seen; a
 * return time, once set, stays; the revocation time is the first one, and is cleared when the task is
 * no longer revoked; the revocation and its lifting are the latest change's.
 */
const ON_CHANGE = `(id) DO UPDATE SET version = EXCLUDED.version, organization_name = EXCLUDED.organization_name,
  list_type_name = EXCLUDED.list_type_name, region = EXCLUDED.region, city = EXCLUDED.city, measure_ids = EXCLUDED.measure_ids,
  status = EXCLUDED.status, personal_names = EXCLUDED.personal_names, due_at = EXCLUDED.due_at, acknowledged_at = EXCLUDED.acknowledged_at,
  returned_at = coalesce(EXCLUDED.returned_at, known_tasks.returned_at),
  revoked_at = CASE WHEN EXCLUDED.status = 'revoked' THEN coalesce(known_tasks.revoked_at, EXCLUDED.revoked_at) END,
  revocation_reason = EXCLUDED.revocation_reason, revocation_at = EXCLUDED.revocation_at, lift_by = EXCLUDED.lift_by,
  lifted_at = EXCLUDED.lifted_at, lift_note = EXCLUDED.lift_note, lift_confirmed_at = EXCLUDED.lift_confirmed_at,
  updated_at = now()`;

/** Feedback's copy of the tasks (known_tasks) and their measure items (task_items). */
@Injectable()
export class TaskCopyRepository extends DatabaseRepository {
  constructor(@InjectDataSource('feedback') dataSource: DataSource) {
    super(dataSource);
  }

  async find(id: string): Promise<KnownTaskRow | undefined> {
    const [row] = await this.query<KnownTaskRow[]>(`SELECT ${knownTasks.selectList()} FROM known_tasks WHERE id = $1`, [
      id,
    ]);
    return row;
  }

  /** The version of the task's last change applied (the caller holds the task's row lock). */
  async version(id: string): Promise<number | undefined> {
    const [row] = await this.query<{ version: number }[]>(`SELECT version FROM known_tasks WHERE id = $1`, [id]);
    return row?.version;
  }

  /** Writes a task's change (see ON_CHANGE). */
  async save(task: TaskCopy): Promise<void> {
    // only the WRITTEN columns are read from the row
    await this.insertRows(knownTasks, [task as KnownTaskRow], { columns: WRITTEN, onConflict: ON_CHANGE });
  }

  /**
   * The task's measure items become `measureIds`: the others are removed, new ones added with the
   * memorandum their measure comes from; the current outcomes of those kept stay.
   */
  async replaceItems(taskId: string, measureIds: string[]): Promise<void> {
    await this.query(`DELETE FROM task_items WHERE task_id = $1 AND NOT (measure_id = ANY($2))`, [taskId, measureIds]);
    await this.query(
      `INSERT INTO task_items (task_id, measure_id, memorandum)
       SELECT $1, x, coalesce(km.memorandum, '') FROM unnest($2::text[]) x LEFT JOIN known_measures km ON km.code = x
       ON CONFLICT DO NOTHING`,
      [taskId, measureIds],
    );
  }
}
