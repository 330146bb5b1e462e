import { EntityManager } from 'typeorm';
import { Reassignment } from './reassign-measures';

/** The office's reassignments of these entries' measures (改派), oldest first, as matching applies them. */
export async function readReassignments(m: EntityManager, entryIds: string[]): Promise<Map<string, Reassignment[]>> {
  const byEntry = new Map<string, Reassignment[]>();
  if (entryIds.length === 0) return byEntry;
  const rows: { entryId: string; measureId: string; from: string; toCode: string; toName: string }[] = await m.query(
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
