import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';
import { Entry } from '../entries/entry';
import { listEntries, regionInCity } from '../entries/list-entries.repository';

export const REPAIR_APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RepairApplicationStatus = (typeof REPAIR_APPLICATION_STATUSES)[number];
/** How an application reached jrp: the office's counter (信用办窗口) or the public credit website (信用网站, `portal`). */
export type RepairChannel = 'counter' | 'portal';

/** A repair application (信用修复申请) on an entry. No identifier of the applicant: the entry names the subject. */
export interface RepairApplication {
  id: string;
  entryId: string;
  /** Evidence of correction and obligations met (纠正失信行为、履行法定义务的证明). */
  evidence: string;
  /** The public credit commitment (信用承诺书). */
  commitment: string;
  /** The filing date (YYYY-MM-DD): with the working-day calendar it decides the deadline. */
  filedOn: string;
  filedAt: Date;
  /** The organisation that filed it: an office (at its counter) or the portal. */
  filedBy: string;
  channel: RepairChannel;
  /** The department that made the finding (谁认定谁修复): the list type's identifying organisation. */
  decidingOrganization: string;
  /** The last working day to decide it (YYYY-MM-DD). */
  deadline: string;
  status: RepairApplicationStatus;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

/** `repair_applications`: filed on an entry, decided by its deciding department or the office. */
export const repairApplications = new Table<RepairApplication>('repair_applications', {
  id: 'id',
  entryId: 'entry_id',
  evidence: 'evidence',
  commitment: 'commitment',
  filedOn: { column: 'filed_on', read: "to_char($, 'YYYY-MM-DD')" },
  filedAt: { column: 'filed_at', generated: true },
  filedBy: 'filed_by',
  channel: 'channel',
  decidingOrganization: 'deciding_organization',
  deadline: { column: 'deadline', read: "to_char($, 'YYYY-MM-DD')" },
  status: 'status',
  decidedAt: { column: 'decided_at', generated: true },
  decidedBy: { column: 'decided_by', generated: true },
  decisionReason: { column: 'decision_reason', generated: true },
});

/** Who sees which applications in the queue: a department those it decides; an office (of a city: its city's entries) all. */
export interface RepairQueueScope {
  decidingOrganization: string | null;
  city: string | null;
}

@Injectable()
export class RepairApplicationsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  async insert(
    application: Omit<RepairApplication, 'filedAt' | 'status' | 'decidedAt' | 'decidedBy' | 'decisionReason'>,
  ): Promise<void> {
    await this.insertRows(repairApplications, [{ ...application, status: 'pending' } as RepairApplication]);
  }

  async get(id: string, lock = false): Promise<RepairApplication | undefined> {
    const [row] = await this.query<RepairApplication[]>(
      `SELECT ${repairApplications.selectList()} FROM repair_applications WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  /** The entry's pending application, if any. */
  async pendingOf(entryId: string): Promise<RepairApplication | undefined> {
    const [row] = await this.query<RepairApplication[]>(
      `SELECT ${repairApplications.selectList()} FROM repair_applications WHERE entry_id = $1 AND status = 'pending'`,
      [entryId],
    );
    return row;
  }

  async decide(id: string, status: Exclude<RepairApplicationStatus, 'pending'>, by: string, reason: string) {
    await this.query(
      `UPDATE repair_applications SET status = $2, decided_at = now(), decided_by = $3, decision_reason = $4 WHERE id = $1`,
      [id, status, by, reason],
    );
  }

  /** Applications of a status in the caller's scope, oldest first (at most 1,000). */
  byStatus(status: RepairApplicationStatus, scope: RepairQueueScope): Promise<RepairApplication[]> {
    return this.query<RepairApplication[]>(
      `SELECT ${repairApplications.selectList('a')} FROM repair_applications a
       WHERE a.status = $1 AND ($2::text IS NULL OR a.deciding_organization = $2)
         AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM list_entries e WHERE e.id = a.entry_id AND ${regionInCity('e.region', '$3')}))
       ORDER BY a.filed_at, a.id LIMIT 1000`,
      [status, scope.decidingOrganization, scope.city],
    );
  }

  /** The applications on these entries, oldest first (a subject's credit file). */
  ofEntries(entryIds: string[]): Promise<RepairApplication[]> {
    return this.query<RepairApplication[]>(
      `SELECT ${repairApplications.selectList()} FROM repair_applications WHERE entry_id = ANY($1::uuid[])
       ORDER BY filed_at, id`,
      [entryIds],
    );
  }
}

/** What the portal's lookup and the documents read beside applications (known organisations, entries by identity, pending objections). */
@Injectable()
export class RepairReadsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  async organizationName(code: string): Promise<string | null> {
    const [row] = await this.query<{ name: string }[]>(`SELECT name FROM known_organizations WHERE code = $1`, [code]);
    return row?.name ?? null;
  }

  /** The entries of a subject with this document number (认定文号), in `seq` order. */
  byIdentity(subjectKey: string, documentNo: string): Promise<Entry[]> {
    return this.query<Entry[]>(
      `SELECT ${listEntries.selectList()} FROM list_entries WHERE subject_key = $1 AND document_no = $2 ORDER BY seq`,
      [subjectKey, documentNo],
    );
  }

  /** The pending objection on each of these entries. */
  pendingObjections(entryIds: string[]): Promise<{ id: string; entryId: string; deadline: string; filedBy: string }[]> {
    return this.query(
      `SELECT id, entry_id AS "entryId", to_char(deadline, 'YYYY-MM-DD') AS deadline, filed_by AS "filedBy"
       FROM objections WHERE entry_id = ANY($1::uuid[]) AND status = 'pending'`,
      [entryIds],
    );
  }
}
