import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRecorder } from '@jrp/audit';
import { hasRole, Principal } from '@jrp/auth';
import { CatalogueEvents, eventIdOf } from '@jrp/contracts';
import { ANHUI_CITIES } from '@jrp/domain';
import { FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { cataloguePublishedData } from '../catalogue.repository';
import {
  CatalogueDocument,
  diffDocuments,
  documentProblems,
  MeasureDoc,
  normaliseDocument,
} from './catalogue-document';
import { writeCatalogue } from './catalogue-document.repository';
import { RematchJob } from './rematch.job';

/**
 * The catalogue's versions: one draft, edited by the provincial office (everything) and by city
 * offices (their own city's measures); published versions, immutable, listed and diffable. Publishing
 * writes the live catalogue, announces it (`jrp.catalogue.published`) and re-matches active entries.
 */
interface DraftRow {
  baseVersion: number;
  document: CatalogueDocument;
  updatedAt: Date;
  updatedBy: string;
}

/** The draft as the API answers it (times as ISO 8601 text, as JSON carries them). */
export type DraftView = Omit<DraftRow, 'updatedAt'> & {
  updatedAt: string;
  problems: ReturnType<typeof documentProblems>;
};

/** A published version in the list of versions (counts, not the document). */
export interface VersionSummary {
  version: number;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
  measures: number;
  listTypes: number;
}

export interface RematchProgress {
  version: number;
  status: 'running' | 'done';
  total: number;
  processed: number;
  dispatched: number;
  updated: number;
  revoked: number;
  startedAt: string;
  finishedAt: string | null;
}

@Injectable()
export class CatalogueVersionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditRecorder,
    private readonly rematch: RematchJob,
  ) {}

  async draft(): Promise<DraftView> {
    const [draft] = await this.uow.dataSource.query<DraftRow[]>(
      `SELECT base_version AS "baseVersion", document, updated_at AS "updatedAt", updated_by AS "updatedBy" FROM catalogue_draft WHERE id = 1`,
    );
    return { ...draft, updatedAt: draft.updatedAt.toISOString(), problems: await this.problems(draft.document) };
  }

  /** Replaces the draft (a whole document: an import), within the caller's scope. */
  async replaceDraft(document: CatalogueDocument, principal: Principal): Promise<DraftView> {
    return this.editDraft(principal, () => normaliseDocument(document));
  }

  async putMeasure(code: string, measure: Omit<MeasureDoc, 'code'>, principal: Principal): Promise<DraftView> {
    return this.editDraft(principal, (doc) => ({
      ...doc,
      measures: [...doc.measures.filter((x) => x.code !== code), { ...measure, code }],
    }));
  }

  async deleteMeasure(code: string, principal: Principal): Promise<DraftView> {
    return this.editDraft(principal, (doc) => {
      if (!doc.measures.some((x) => x.code === code)) throw new NotFoundException(`no measure ${code} in the draft`);
      return { ...doc, measures: doc.measures.filter((x) => x.code !== code) };
    });
  }

  private async editDraft(
    principal: Principal,
    change: (doc: CatalogueDocument) => CatalogueDocument,
  ): Promise<DraftView> {
    await this.uow.run(async (m) => {
      const [draft] = await m.query<{ document: CatalogueDocument }[]>(
        `SELECT document FROM catalogue_draft WHERE id = 1 FOR UPDATE`,
      );
      const next = normaliseDocument(change(draft.document));
      this.assertScope(principal, draft.document, next);
      await m.query(`UPDATE catalogue_draft SET document = $1, updated_at = now(), updated_by = $2 WHERE id = 1`, [
        JSON.stringify(next),
        principal.organization.code,
      ]);
      await this.audit.record({
        action: 'catalogue.edit-draft',
        objectType: 'catalogue',
        objectId: 'draft',
      });
    });
    return this.draft();
  }

  /** Publishes the draft as the next version; refuses a draft with problems or with nothing new. */
  async publish(principal: Principal, note?: string) {
    const result = await this.uow.run(async (m, outbox) => {
      const [draft] = await m.query<{ document: CatalogueDocument }[]>(
        `SELECT document FROM catalogue_draft WHERE id = 1 FOR UPDATE`,
      );
      const [latest] = await m.query<{ version: number; document: CatalogueDocument }[]>(
        `SELECT version, document FROM catalogue_versions ORDER BY version DESC LIMIT 1`,
      );
      this.assertScope(principal, latest.document, draft.document);
      const problems = await this.problems(draft.document, m);
      if (problems.length)
        throw new FieldValidationException(
          problems.map((p) => ({ field: p.path, message: p.message })),
          'the draft cannot be published',
        );
      const diff = diffDocuments(latest.document, draft.document);
      if (Object.values(diff).every((d) => d.added.length + d.removed.length + d.changed.length === 0))
        throw new ConflictException('the draft equals the current version');
      const version = latest.version + 1;
      await m.query(`INSERT INTO catalogue_versions (version, note, document, published_by) VALUES ($1, $2, $3, $4)`, [
        version,
        note ?? null,
        JSON.stringify(draft.document),
        principal.organization.code,
      ]);
      await m.query(`UPDATE catalogue_draft SET base_version = $1 WHERE id = 1`, [version]);
      await writeCatalogue(m, draft.document);
      const total = await m.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM entry_states WHERE status = 'active'`,
      );
      await m.query(`INSERT INTO rematch_jobs (version, status, total) VALUES ($1, 'running', $2)`, [
        version,
        total[0].n,
      ]);
      await outbox.append(m, [
        {
          id: eventIdOf('catalogue', 'province', version, CatalogueEvents.Published),
          type: CatalogueEvents.Published,
          key: 'catalogue',
          subject: `catalogue/${version}`,
          data: await cataloguePublishedData(m, version),
        },
      ]);
      await this.audit.record({
        action: 'catalogue.publish',
        objectType: 'catalogue',
        objectId: String(version),
      });
      return { version, changes: this.summary(diff) };
    });
    this.rematch.kick();
    return result;
  }

  async versions(): Promise<VersionSummary[]> {
    const rows = await this.uow.dataSource.query<(Omit<VersionSummary, 'publishedAt'> & { publishedAt: Date })[]>(
      `SELECT version, published_at AS "publishedAt", published_by AS "publishedBy", note,
              jsonb_array_length(document->'measures') AS measures, jsonb_array_length(document->'listTypes') AS "listTypes"
       FROM catalogue_versions ORDER BY version`,
    );
    return rows.map((row) => ({ ...row, publishedAt: row.publishedAt.toISOString() }));
  }

  async document(version: number): Promise<CatalogueDocument> {
    const [row] = await this.uow.dataSource.query<{ document: CatalogueDocument }[]>(
      `SELECT document FROM catalogue_versions WHERE version = $1`,
      [version],
    );
    if (!row) throw new NotFoundException(`no catalogue version ${version}`);
    return row.document;
  }

  async diff(a: number, b: number) {
    return { from: a, to: b, ...diffDocuments(await this.document(a), await this.document(b)) };
  }

  async rematchProgress(version: number) {
    const [job] = await this.uow.dataSource.query<
      ((Omit<RematchProgress, 'startedAt' | 'finishedAt'> & { startedAt: Date; finishedAt: Date | null }) | undefined)[]
    >(
      `SELECT version, status, total, processed, dispatched, updated, revoked, started_at AS "startedAt", finished_at AS "finishedAt" FROM rematch_jobs WHERE version = $1`,
      [version],
    );
    if (!job) throw new NotFoundException(`no re-matching for version ${version}`);
    return { ...job, startedAt: job.startedAt.toISOString(), finishedAt: job.finishedAt?.toISOString() ?? null };
  }

  private summary(diff: ReturnType<typeof diffDocuments>) {
    const count = (d: { added: unknown[]; removed: unknown[]; changed: unknown[] }) => ({
      added: d.added.length,
      removed: d.removed.length,
      changed: d.changed.length,
    });
    return { memoranda: count(diff.memoranda), listTypes: count(diff.listTypes), measures: count(diff.measures) };
  }

  private async problems(doc: CatalogueDocument, m: EntityManager | DataSource = this.uow.dataSource) {
    const orgs = await m.query<{ code: string }[]>(`SELECT code FROM organizations`);
    return documentProblems(doc, new Set(orgs.map((o) => o.code)), new Set(Object.keys(ANHUI_CITIES)));
  }

  /** The provincial office changes anything; a city office only its own city's measures. */
  private assertScope(principal: Principal, before: CatalogueDocument, after: CatalogueDocument): void {
    if (hasRole(principal, 'office') && principal.organization.level === 'province') return;
    const city = principal.organization.region;
    const diff = diffDocuments(normaliseDocument(before), normaliseDocument(after));
    const outside =
      diff.memoranda.added.length +
        diff.memoranda.removed.length +
        diff.memoranda.changed.length +
        diff.listTypes.added.length +
        diff.listTypes.removed.length +
        diff.listTypes.changed.length >
        0 ||
      diff.measures.added.some((x) => x.scopeRegion !== city) ||
      diff.measures.removed.some((x) => x.scopeRegion !== city) ||
      diff.measures.changed.some((x) => x.before.scopeRegion !== city || x.after.scopeRegion !== city);
    if (outside) throw new ForbiddenException(`a city office changes only the measures scoped to its city (${city})`);
  }
}
