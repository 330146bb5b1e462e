import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';
import { CatalogueDocument, CatalogueDocumentInput, normaliseDocument } from './catalogue-document';
import { completeLegacyBasis } from './measure-basis';

/**
 * A stored document, completed: versions and drafts written before rule sets read with the 2018 path's
 * rules; measures written before structured bases read with their memorandum as source and, for a
 * punishment, `basisPending` (measure-basis.ts `completeLegacyBasis`).
 */
const read = (doc: CatalogueDocumentInput): CatalogueDocument =>
  normaliseDocument({ ...doc, measures: doc.measures.map(completeLegacyBasis) });

/** The one draft (`catalogue_draft`, id 1). */
export interface DraftRow {
  baseVersion: number;
  document: CatalogueDocument;
  updatedAt: Date;
  updatedBy: string;
}

export const catalogueDraft = new Table<DraftRow>('catalogue_draft', {
  baseVersion: 'base_version',
  document: { column: 'document', cast: 'jsonb' },
  updatedAt: 'updated_at',
  updatedBy: 'updated_by',
});

/** A published version (immutable: a trigger refuses updates and deletes). */
export interface VersionRow {
  version: number;
  note: string | null;
  document: CatalogueDocument;
  publishedAt: Date;
  publishedBy: string;
}

export const catalogueVersions = new Table<VersionRow>('catalogue_versions', {
  version: 'version',
  note: 'note',
  document: { column: 'document', cast: 'jsonb' },
  publishedAt: { column: 'published_at', generated: true },
  publishedBy: 'published_by',
});

/** A published version in the list of versions: counts, not the document. */
export interface VersionSummaryRow {
  version: number;
  publishedAt: Date;
  publishedBy: string;
  note: string | null;
  measures: number;
  listTypes: number;
}

/** The re-matching of one version (`rematch_jobs`): its cursor and counters. */
export interface RematchJobRow {
  version: number;
  status: 'running' | 'done';
  after: string;
  total: number;
  processed: number;
  dispatched: number;
  updated: number;
  revoked: number;
  startedAt: Date;
  finishedAt: Date | null;
}

export const rematchJobs = new Table<RematchJobRow>('rematch_jobs', {
  version: 'version',
  status: 'status',
  after: { column: 'after_entry', generated: true },
  total: 'total',
  processed: { column: 'processed', generated: true },
  dispatched: { column: 'dispatched', generated: true },
  updated: { column: 'updated', generated: true },
  revoked: { column: 'revoked', generated: true },
  startedAt: { column: 'started_at', generated: true },
  finishedAt: { column: 'finished_at', generated: true },
});

/** The catalogue's draft, its published versions and their re-matching jobs. */
@Injectable()
export class CatalogueVersionsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  async draft(): Promise<DraftRow> {
    const [draft] = await this.query<DraftRow[]>(
      `SELECT ${catalogueDraft.selectList()} FROM catalogue_draft WHERE id = 1`,
    );
    return { ...draft, document: read(draft.document) };
  }

  /** The draft's document, locked until the transaction ends (edits and publications queue on it). */
  async lockDraftDocument(): Promise<CatalogueDocument> {
    const [draft] = await this.query<{ document: CatalogueDocument }[]>(
      `SELECT document FROM catalogue_draft WHERE id = 1 FOR UPDATE`,
    );
    return read(draft.document);
  }

  async saveDraft(document: CatalogueDocument, updatedBy: string): Promise<void> {
    await this.query(`UPDATE catalogue_draft SET document = $1, updated_at = now(), updated_by = $2 WHERE id = 1`, [
      JSON.stringify(document),
      updatedBy,
    ]);
  }

  async setDraftBase(version: number): Promise<void> {
    await this.query(`UPDATE catalogue_draft SET base_version = $1 WHERE id = 1`, [version]);
  }

  async latest(): Promise<Pick<VersionRow, 'version' | 'document'>> {
    const [latest] = await this.query<Pick<VersionRow, 'version' | 'document'>[]>(
      `SELECT version, document FROM catalogue_versions ORDER BY version DESC LIMIT 1`,
    );
    return { ...latest, document: read(latest.document) };
  }

  async insertVersion(version: Omit<VersionRow, 'publishedAt'>): Promise<void> {
    // published_at is the database's (now())
    await this.insertRows(catalogueVersions, [version as VersionRow]);
  }

  summaries(): Promise<VersionSummaryRow[]> {
    return this.query<VersionSummaryRow[]>(
      `SELECT version, published_at AS "publishedAt", published_by AS "publishedBy", note,
              jsonb_array_length(document->'measures') AS measures, jsonb_array_length(document->'listTypes') AS "listTypes"
       FROM catalogue_versions ORDER BY version`,
    );
  }

  async document(version: number): Promise<CatalogueDocument | undefined> {
    const [row] = await this.query<{ document: CatalogueDocument }[]>(
      `SELECT document FROM catalogue_versions WHERE version = $1`,
      [version],
    );
    return row && read(row.document);
  }

  /** A running job for a new version, over the entries active now. */
  async startRematch(version: number, total: number): Promise<void> {
    // the cursor, counters and times start at the table's defaults
    await this.insertRows(rematchJobs, [{ version, status: 'running', total } as RematchJobRow]);
  }

  async rematchJob(version: number): Promise<RematchJobRow | undefined> {
    const [job] = await this.query<RematchJobRow[]>(
      `SELECT ${rematchJobs.selectList()} FROM rematch_jobs WHERE version = $1`,
      [version],
    );
    return job;
  }

  /** The oldest running job, locked; one another replica holds is skipped. */
  async lockNextRematch(): Promise<Pick<RematchJobRow, 'version' | 'after'> | undefined> {
    const [job] = await this.query<Pick<RematchJobRow, 'version' | 'after'>[]>(
      `SELECT version, after_entry AS "after" FROM rematch_jobs WHERE status = 'running' ORDER BY version LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return job;
  }

  async finishRematch(version: number): Promise<void> {
    await this.query(`UPDATE rematch_jobs SET status = 'done', finished_at = now() WHERE version = $1`, [version]);
  }

  /** Moves the job's cursor past a batch and adds the batch's counts. */
  async advanceRematch(
    version: number,
    after: string,
    counts: { processed: number; dispatched: number; updated: number; revoked: number },
  ): Promise<void> {
    await this.query(
      `UPDATE rematch_jobs SET after_entry = $2, processed = processed + $3, dispatched = dispatched + $4, updated = updated + $5, revoked = revoked + $6
       WHERE version = $1`,
      [version, after, counts.processed, counts.dispatched, counts.updated, counts.revoked],
    );
  }
}
