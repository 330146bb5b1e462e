import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository } from '@jrp/database';
import { PROVINCE_CODE } from '@jrp/domain';
import { Entry } from '../entries/entry';
import { listEntries, regionInCity } from '../entries/list-entries.repository';
import { EntryHistoryItemResponse, SubjectRepairResponse } from './dto/entry.response';

export type HistoryRow = Omit<EntryHistoryItemResponse, 'at' | 'recordedAt'> & { at: Date; recordedAt: Date };
export type RepairRow = Omit<SubjectRepairResponse, 'at'> & { at: Date };

/** The office's filter of entries; every filter is optional. */
export interface EntriesFilter {
  /** The caller's city (a city office): only entries in it; null for the whole province. */
  city: string | null;
  listType: string | null;
  status: string | null;
  /** A region code; the province or a city (ending in 00) covers the regions under it. */
  region: string | null;
  /** A subject name (a part of it) or, with `subjectKeys`, an identifier. */
  q: string | null;
  /** The subject keys of the identifier `q` looks like; empty when it does not look like one. */
  subjectKeys: string[];
}

/** The history actions a subject's credit file shows as its repair history. */
const REPAIR_ACTIONS = `'move-to-watch', 'record-commitment', 'record-training', 'remove', 'expired', 'objection-filed', 'objection-upheld', 'objection-rejected', 'repair-approved'`;

/** Reads of entries and their history, paged by `seq`. */
@Injectable()
export class EntriesQueriesRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  history(entryId: string): Promise<HistoryRow[]> {
    return this.query<HistoryRow[]>(
      `SELECT version, action, status, reason, details, at, by_organization AS "by", recorded_at AS "recordedAt"
       FROM list_entry_history WHERE entry_id = $1 ORDER BY version`,
      [entryId],
    );
  }

  /** Entries after `after` matching the filter, in `seq` order. */
  list(after: string, filter: EntriesFilter, limit: number): Promise<Entry[]> {
    return this.query<Entry[]>(
      `SELECT ${listEntries.selectList()} FROM list_entries
       WHERE seq > $1 AND ($2::text IS NULL OR list_type = $2) AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR $4 = '${PROVINCE_CODE}' OR region = $4 OR ($4 LIKE '%00' AND region LIKE left($4, 4) || '%'))
         AND ($5::text IS NULL OR subject_key = ANY($6::text[]) OR (cardinality($6::text[]) = 0 AND subject_name LIKE '%' || $5 || '%'))
         AND ${regionInCity('region', '$8')}
       ORDER BY seq LIMIT $7`,
      [after, filter.listType, filter.status, filter.region, filter.q, filter.subjectKeys, limit, filter.city],
    );
  }

  /** The entries of these subject keys in `city` (null: anywhere), in `seq` order. */
  bySubjectKeys(keys: string[], city: string | null): Promise<Entry[]> {
    return this.query<Entry[]>(
      `SELECT ${listEntries.selectList()} FROM list_entries WHERE subject_key = ANY($1) AND ${regionInCity('region', '$2')}
       ORDER BY seq`,
      [keys, city],
    );
  }

  /**
   * The repair steps (and removals, expiry, objections) of these entries, oldest first; with the repair
   * applications (信用修复申请) filed on them and their rejections, which leave the entry as it was (no version).
   */
  repairs(entryIds: string[]): Promise<RepairRow[]> {
    return this.query<RepairRow[]>(
      `SELECT * FROM (
         SELECT entry_id AS "entryId", version, action, reason, details, at FROM list_entry_history
         WHERE entry_id = ANY($1::uuid[]) AND action IN (${REPAIR_ACTIONS})
         UNION ALL
         SELECT entry_id, NULL, 'repair-applied', NULL,
                jsonb_build_object('applicationId', id, 'channel', channel, 'filedOn', to_char(filed_on, 'YYYY-MM-DD'),
                                   'deadline', to_char(deadline, 'YYYY-MM-DD'), 'commitment', commitment),
                filed_at
         FROM repair_applications WHERE entry_id = ANY($1::uuid[])
         UNION ALL
         SELECT entry_id, NULL, 'repair-rejected', decision_reason, jsonb_build_object('applicationId', id), decided_at
         FROM repair_applications WHERE entry_id = ANY($1::uuid[]) AND status = 'rejected'
       ) r ORDER BY at, version NULLS FIRST`,
      [entryIds],
    );
  }

  /**
   * Active entries after `after` for the public list: of a list type, and matching `q` — the USCC
   * exactly when `q` is one (`byUscc`), a part of the subject's name otherwise; a graded entry only
   * until its `publicUntil` (inclusive, `today` in Asia/Shanghai).
   */
  publicList(
    after: string,
    listType: string | null,
    q: string | null,
    byUscc: boolean,
    limit: number,
    today: string,
  ): Promise<Entry[]> {
    return this.query<Entry[]>(
      `SELECT ${listEntries.selectList()} FROM list_entries
       WHERE status = 'active' AND seq > $1 AND ($2::text IS NULL OR list_type = $2)
         AND ($3::text IS NULL OR ${byUscc ? 'subject_uscc = $3' : "subject_name LIKE '%' || $3 || '%'"})
         AND (public_until IS NULL OR public_until >= $5::date)
       ORDER BY seq LIMIT $4`,
      [after, listType, q, limit, today],
    );
  }
}
