import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { afterCommit, CachedReads } from '@jrp/database';
import { KnownListType, ListEntriesRepository } from '../entries/list-entries.repository';

/** How long a list type read stays cached at most (see `ListTypes`). */
export const LIST_TYPE_TTL_MS = 5_000;

/**
 * The list types as a single publication reads them (`ListEntriesRepository.listType`), cached so that
 * an entry is not one statement more. list-ingestion's copy changes only with a new catalogue version
 * (`CatalogueHandler`), which drops this cache once its transaction has committed. Another replica's
 * handler cannot drop it, so a list type is also read again after `LIST_TYPE_TTL_MS`: the copy trails
 * the catalogue by its event's delivery anyway, on another replica by at most that much more. A code
 * the copy does not know is not cached (the catalogue may arrive at any moment).
 */
@Injectable()
export class ListTypes {
  private readonly cached = new CachedReads<string, KnownListType | undefined>(
    LIST_TYPE_TTL_MS,
    (listType) => listType !== undefined,
  );

  constructor(
    private readonly entries: ListEntriesRepository,
    @InjectDataSource('list-ingestion') private readonly dataSource: DataSource,
  ) {}

  /** A list type by its code or its name. */
  get(code: string): Promise<KnownListType | undefined> {
    return this.cached.get(code, () => this.entries.listType(code));
  }

  /** Drops the cache once the transaction open here (a new catalogue's) has committed, or now outside one. */
  dropAfterCommit(): void {
    afterCommit(this.dataSource, () => this.cached.drop());
  }
}
