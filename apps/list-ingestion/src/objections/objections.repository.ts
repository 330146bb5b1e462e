import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';
import { regionInCity } from '../entries/list-entries.repository';

export type ObjectionStatus = 'pending' | 'upheld' | 'rejected';

/** An objection as the office's queue shows it. */
export interface Objection {
  id: string;
  entryId: string;
  statement: string;
  contact: string;
  status: ObjectionStatus;
  filedAt: Date;
  filedBy: string;
  /** The last working day to answer it (YYYY-MM-DD). */
  deadline: string;
  decidedAt: Date | null;
  decisionReason: string | null;
}

/** `objections` (异议): filed against an entry, decided by the office. */
export const objections = new Table<Objection>('objections', {
  id: 'id',
  entryId: 'entry_id',
  statement: 'statement',
  contact: 'contact',
  status: 'status',
  filedAt: { column: 'filed_at', generated: true },
  filedBy: 'filed_by',
  deadline: { column: 'deadline', read: "to_char($, 'YYYY-MM-DD')" },
  decidedAt: { column: 'decided_at', generated: true },
  decisionReason: { column: 'decision_reason', generated: true },
});

@Injectable()
export class ObjectionsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  /** Files a pending objection (its filing time is the database's). */
  async insert(objection: Pick<Objection, 'id' | 'entryId' | 'statement' | 'contact' | 'filedBy' | 'deadline'>) {
    // the generated columns (filing time, the decision) are not written
    await this.insertRows(objections, [{ ...objection, status: 'pending' } as Objection]);
  }

  async get(id: string): Promise<Objection | undefined> {
    const [row] = await this.query<Objection[]>(`SELECT ${objections.selectList()} FROM objections WHERE id = $1`, [
      id,
    ]);
    return row;
  }

  /** An objection's entry and status, locked for its decision. */
  async lock(id: string): Promise<Pick<Objection, 'id' | 'entryId' | 'status'> | undefined> {
    const [row] = await this.query<Pick<Objection, 'id' | 'entryId' | 'status'>[]>(
      `SELECT id, entry_id AS "entryId", status FROM objections WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  async decide(id: string, status: Exclude<ObjectionStatus, 'pending'>, by: string, reason: string): Promise<void> {
    await this.query(
      `UPDATE objections SET status = $2, decided_at = now(), decided_by = $3, decision_reason = $4 WHERE id = $1`,
      [id, status, by, reason],
    );
  }

  /** Objections of a status on entries in `city` (null: anywhere), oldest first (at most 1,000). */
  byStatus(status: ObjectionStatus, city: string | null): Promise<Objection[]> {
    return this.query<Objection[]>(
      `SELECT ${objections.selectList('o')} FROM objections o
       WHERE o.status = $1
         AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM list_entries e WHERE e.id = o.entry_id AND ${regionInCity('e.region', '$2')}))
       ORDER BY o.filed_at, o.id LIMIT 1000`,
      [status, city],
    );
  }
}
