import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SubjectEntry } from './check-answer';

/** A counter check as it is kept: the subject by its keyed hash only. */
export interface CheckRecord {
  id: string;
  organization: string;
  subjectKind: 'legal' | 'natural';
  idType: string | null;
  subjectKey: string;
  businessType: string;
  reference: string;
  listed: boolean;
  entryIds: string[];
  taskIds: string[];
  checkedAt: string;
}

/** Counter checks (checks, check_links) and the reads a check answers from: measures' own tables only. */
@Injectable()
export class ChecksRepository {
  /** Every entry measures knows for the subject, whatever its status. */
  entriesOf(m: EntityManager, subjectKey: string): Promise<SubjectEntry[]> {
    return m.query(
      `SELECT e.entry_id AS "entryId", e.list_type AS "listType", coalesce(lt.name, e.list_type) AS "listTypeName", lt.colour,
              e.status, e.disputed, to_char(e.listed_at, 'YYYY-MM-DD') AS "listedAt", to_char(e.valid_until, 'YYYY-MM-DD') AS "validUntil",
              e.region, e.subject ->> 'kind' AS "subjectKind", e.has_legal_representative AS "hasLegalRepresentative"
       FROM entry_states e LEFT JOIN list_types lt ON lt.code = e.list_type
       WHERE e.subject_key = $1`,
      [subjectKey],
    );
  }

  /** Kind (惩戒 / 激励) and legal basis (法律依据) of measures. */
  async measureDetails(m: EntityManager, ids: string[]): Promise<Map<string, { kind: 'punishment' | 'reward'; legalBasis: string[] }>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; kind: 'punishment' | 'reward'; legalBasis: string[] }[] = await m.query(
      `SELECT code AS id, kind, legal_basis AS "legalBasis" FROM measures WHERE code = ANY($1::text[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { kind: r.kind, legalBasis: r.legalBasis }]));
  }

  /**
   * Of these tasks, the organisation's standing ones (待实施, 已签收), locked all at once and in the order
   * matching locks tasks in, before any change takes the feed's lock: a check and a matching batch never
   * wait on each other in a cycle.
   */
  async lockStandingTasks(m: EntityManager, taskIds: string[], organization: string): Promise<string[]> {
    if (taskIds.length === 0) return [];
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM tasks WHERE id = ANY($1::uuid[]) AND organization = $2 AND status IN ('open', 'acknowledged')
       ORDER BY entry_id, organization FOR UPDATE`,
      [taskIds, organization],
    );
    return rows.map((r) => r.id);
  }

  /** Takes the link of a business (its reference) to a task for this check; false when an earlier check of the same business holds it. */
  async claimLink(m: EntityManager, taskId: string, reference: string, checkId: string): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO check_links (task_id, reference, check_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING task_id`,
      [taskId, reference, checkId],
    );
    return rows.length === 1;
  }

  async insert(m: EntityManager, c: CheckRecord): Promise<void> {
    await m.query(
      `INSERT INTO checks (id, organization, subject_kind, id_type, subject_key, business_type, reference, listed, entry_ids, task_ids, checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10::uuid[], $11)`,
      [c.id, c.organization, c.subjectKind, c.idType, c.subjectKey, c.businessType, c.reference, c.listed, c.entryIds, c.taskIds, c.checkedAt],
    );
  }
}
