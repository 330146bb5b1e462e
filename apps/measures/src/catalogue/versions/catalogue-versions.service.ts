import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditRecorder } from '@jrp/audit';
import { hasRole, Principal } from '@jrp/auth';
import { CatalogueEvents, eventIdOf } from '@jrp/contracts';
import { ANHUI_CITIES } from '@jrp/domain';
import { FieldValidationException } from '@jrp/http';
import { OutboxService, UnitOfWork } from '@jrp/messaging';
import { EntryStatesRepository } from '../../matching/entry-states.repository';
import { CatalogueRepository } from '../catalogue.repository';
import {
  CatalogueDocument,
  CatalogueDocumentInput,
  completeMeasure,
  diffDocuments,
  documentProblems,
  MeasureInput,
  normaliseDocument,
} from './catalogue-document';
import { CatalogueVersionsRepository, DraftRow } from './catalogue-versions.repository';
import { basisProblems } from './measure-basis';
import { RematchJob } from './rematch.job';

/**
 * The catalogue's versions: one draft, edited by the provincial office (everything) and by city
 * offices (their own city's measures); published versions, immutable, listed and diffable. Publishing
 * writes the live catalogue, announces it (`jrp.catalogue.published`) and re-matches active entries.
 */
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
    private readonly outbox: OutboxService,
    private readonly repository: CatalogueVersionsRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly entries: EntryStatesRepository,
    private readonly audit: AuditRecorder,
    private readonly rematch: RematchJob,
  ) {}

  async draft(): Promise<DraftView> {
    const draft = await this.repository.draft();
    return { ...draft, updatedAt: draft.updatedAt.toISOString(), problems: await this.problems(draft.document) };
  }

  /** Replaces the draft (a whole document: an import), within the caller's scope. */
  async replaceDraft(document: CatalogueDocumentInput, principal: Principal): Promise<DraftView> {
    return this.editDraft(principal, () => normaliseDocument(document));
  }

  async putMeasure(code: string, measure: Omit<MeasureInput, 'code'>, principal: Principal): Promise<DraftView> {
    return this.editDraft(principal, (doc) => ({
      ...doc,
      measures: [...doc.measures.filter((x) => x.code !== code), completeMeasure({ ...measure, code })],
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
    await this.uow.run(async () => {
      const document = await this.repository.lockDraftDocument();
      const next = normaliseDocument(change(document));
      this.assertScope(principal, document, next);
      await this.repository.saveDraft(next, principal.organization.code);
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
    const result = await this.uow.run(async () => {
      const draft = await this.repository.lockDraftDocument();
      const latest = await this.repository.latest();
      this.assertScope(principal, latest.document, draft);
      const problems = await this.problems(draft);
      if (problems.length)
        throw new FieldValidationException(
          problems.map((p) => ({ field: p.path, message: p.message })),
          'the draft cannot be published',
        );
      const diff = diffDocuments(latest.document, draft);
      if (Object.values(diff).every((d) => d.added.length + d.removed.length + d.changed.length === 0))
        throw new ConflictException('the draft equals the current version');
      const version = latest.version + 1;
      await this.repository.insertVersion({
        version,
        note: note ?? null,
        document: draft,
        publishedBy: principal.organization.code,
      });
      await this.repository.setDraftBase(version);
      await this.catalogue.replaceCatalogue(draft);
      await this.repository.startRematch(version, await this.entries.countActive());
      await this.outbox.append([
        {
          id: eventIdOf('catalogue', 'province', version, CatalogueEvents.Published),
          type: CatalogueEvents.Published,
          key: 'catalogue',
          subject: `catalogue/${version}`,
          data: await this.catalogue.publishedData(version),
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
    const rows = await this.repository.summaries();
    return rows.map((row) => ({ ...row, publishedAt: row.publishedAt.toISOString() }));
  }

  async document(version: number): Promise<CatalogueDocument> {
    const document = await this.repository.document(version);
    if (!document) throw new NotFoundException(`no catalogue version ${version}`);
    return document;
  }

  async diff(a: number, b: number) {
    return { from: a, to: b, ...diffDocuments(await this.document(a), await this.document(b)) };
  }

  async rematchProgress(version: number): Promise<RematchProgress> {
    const job = await this.repository.rematchJob(version);
    if (!job) throw new NotFoundException(`no re-matching for version ${version}`);
    return {
      version: job.version,
      status: job.status,
      total: job.total,
      processed: job.processed,
      dispatched: job.dispatched,
      updated: job.updated,
      revoked: job.revoked,
      startedAt: job.startedAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
    };
  }

  private summary(diff: ReturnType<typeof diffDocuments>) {
    const count = (d: { added: unknown[]; removed: unknown[]; changed: unknown[] }) => ({
      added: d.added.length,
      removed: d.removed.length,
      changed: d.changed.length,
    });
    return { memoranda: count(diff.memoranda), listTypes: count(diff.listTypes), measures: count(diff.measures) };
  }

  /** What stops a publication: the document's problems, then each measure the basis rule refuses (by code). */
  private async problems(doc: CatalogueDocument) {
    return [
      ...documentProblems(doc, await this.catalogue.organizationCodes(), new Set(Object.keys(ANHUI_CITIES))),
      ...basisProblems(doc.measures).map((p) => ({ path: `measures.${p.code}.basis`, message: p.message })),
    ];
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
