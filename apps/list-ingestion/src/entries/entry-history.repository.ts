import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';

/** One row of an entry's history: which version a change made, who made it, when and why. */
export interface EntryHistoryRow {
  entryId: string;
  version: number;
  action: string;
  status: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  at: Date;
  byOrganization: string;
  byToken: string;
}

/**
 * `list_entry_history` (its `recorded_at` is set by the database). Every column but text ones has its
 * cast: a new entry's history row is inserted from a SELECT (`ListEntriesRepository.insertJournalled`),
 * which would read an uncast parameter as text.
 */
export const listEntryHistory = new Table<EntryHistoryRow>('list_entry_history', {
  entryId: 'entry_id',
  version: { column: 'version', cast: 'int4' },
  action: 'action',
  status: 'status',
  reason: 'reason',
  details: { column: 'details', cast: 'jsonb' },
  at: { column: 'at', cast: 'timestamptz' },
  byOrganization: 'by_organization',
  byToken: 'by_token',
});

/** The history of entries: appended with each change, in the transaction that made it, and never changed. */
@Injectable()
export class EntryHistoryRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  /** Appends history rows in one statement. */
  async append(rows: EntryHistoryRow[]): Promise<void> {
    await this.insertUnnested(listEntryHistory, rows);
  }
}
