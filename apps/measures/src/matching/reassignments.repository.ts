import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';
import { Reassignment } from './reassign-measures';

/** One reassignment as kept: from now on this entry's measure goes from one organisation to another. */
export interface ReassignmentRow {
  entryId: string;
  measureId: string;
  from: string;
  to: string;
  reason: string | null;
  by: string;
  at: Date;
}

export const taskReassignments = new Table<ReassignmentRow>('task_reassignments', {
  entryId: 'entry_id',
  measureId: 'measure_id',
  from: 'from_organization',
  to: 'to_organization',
  reason: 'reason',
  by: 'reassigned_by',
  at: { column: 'reassigned_at', generated: true },
});

/** The office's reassignments of entries' measures (改派, `task_reassignments`). */
@Injectable()
export class ReassignmentsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /** These entries' reassignments, oldest first, as matching applies them. */
  async ofEntries(entryIds: string[]): Promise<Map<string, Reassignment[]>> {
    const byEntry = new Map<string, Reassignment[]>();
    if (entryIds.length === 0) return byEntry;
    const rows = await this.query<
      { entryId: string; measureId: string; from: string; toCode: string; toName: string }[]
    >(
      `SELECT r.entry_id AS "entryId", r.measure_id AS "measureId", r.from_organization AS "from", o.code AS "toCode", o.name AS "toName"
       FROM task_reassignments r JOIN organizations o ON o.code = r.to_organization
       WHERE r.entry_id = ANY($1::uuid[]) ORDER BY r.reassigned_at, r.measure_id`,
      [entryIds],
    );
    for (const r of rows)
      byEntry.set(r.entryId, [
        ...(byEntry.get(r.entryId) ?? []),
        { measureId: r.measureId, from: r.from, to: { code: r.toCode, name: r.toName } },
      ]);
    return byEntry;
  }

  /** From now on the entry's measures go from `from` to `to` (a later reassignment of the same replaces it). */
  async reassign(r: {
    entryId: string;
    measureIds: string[];
    from: string;
    to: string;
    reason: string | null;
    by: string;
  }): Promise<void> {
    await this.query(
      `INSERT INTO task_reassignments (${taskReassignments.columnList()})
       SELECT $1, unnest($2::text[]), $3, $4, $5, $6
       ON CONFLICT (entry_id, measure_id, from_organization) DO UPDATE SET to_organization = EXCLUDED.to_organization,
         reason = EXCLUDED.reason, reassigned_by = EXCLUDED.reassigned_by, reassigned_at = now()`,
      [r.entryId, r.measureIds, r.from, r.to, r.reason, r.by],
    );
  }
}
