import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CataloguePublishedData, OrganizationData, SubjectKind } from '@jrp/contracts';
import { DatabaseRepository } from '@jrp/database';
import { CatalogueMeasure } from '../matching/match-measures';
import { CatalogueDocument } from './versions/catalogue-document';
import { CatalogueTables, OrganizationRow, organizations } from './versions/catalogue-document.repository';

export type { OrganizationRow };

/** Reads of the measure catalogue (联合奖惩措施清单), and the live catalogue's writes (see `CatalogueTables`). */
@Injectable()
export class CatalogueRepository extends DatabaseRepository {
  /** The live catalogue tables, in the transaction open here. */
  private readonly tables = new CatalogueTables(() => this.manager);

  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  listTypes(after: string, limit: number, colour?: string): Promise<{ code: string }[]> {
    return this.tables.listTypes({ after, limit, colour });
  }

  organizations(after: string, limit: number, level?: string, role?: string): Promise<OrganizationRow[]> {
    return this.query<OrganizationRow[]>(
      `SELECT ${organizations.selectList()} FROM organizations
       WHERE code > $1 AND ($2::text IS NULL OR level = $2) AND ($3::text IS NULL OR $3 = ANY(roles)) ORDER BY code LIMIT $4`,
      [after, level ?? null, role ?? null, limit],
    );
  }

  /** Every organisation, by code. */
  allOrganizations(): Promise<OrganizationRow[]> {
    return this.tables.organizations();
  }

  /** The codes of every organisation (what a catalogue document may refer to). */
  async organizationCodes(): Promise<Set<string>> {
    const rows = await this.query<{ code: string }[]>(`SELECT code FROM organizations`);
    return new Set(rows.map((o) => o.code));
  }

  memoranda(after: string, limit: number): Promise<{ code: string }[]> {
    return this.tables.memoranda({ after, limit });
  }

  async organization(code: string): Promise<OrganizationRow | undefined> {
    const [row] = await this.query<OrganizationRow[]>(
      `SELECT ${organizations.selectList()} FROM organizations WHERE code = $1`,
      [code],
    );
    return row;
  }

  async organizationExists(code: string): Promise<boolean> {
    const [row] = await this.query<{ code: string }[]>(`SELECT code FROM organizations WHERE code = $1`, [code]);
    return !!row;
  }

  /** A new organisation (its catalogue columns); false when one with its code exists already. */
  async insertOrganization(organization: OrganizationData): Promise<boolean> {
    const inserted = await this.insertRows<OrganizationRow, { code: string }>(
      organizations,
      [{ ...organization, shortName: null, aliases: [] }],
      { columns: ['code', 'name', 'level', 'region', 'roles'], onConflict: '(code) DO NOTHING', returning: 'code' },
    );
    return inserted.length > 0;
  }

  async measures(
    q: {
      listType?: string;
      memorandum?: string;
      organization?: string;
      basisPending?: boolean;
      after?: string;
      limit?: number;
    } = {},
  ): Promise<{ id: string }[]> {
    return this.tables.measures({
      listType: q.listType,
      memorandum: q.memorandum,
      organization: q.organization,
      basisPending: q.basisPending,
      after: q.after ?? '',
      limit: q.limit ?? 1000,
    });
  }

  /** Replaces the live catalogue with a published version's document. */
  replaceCatalogue(document: CatalogueDocument): Promise<void> {
    return this.tables.replace(document);
  }

  /** The catalogue as other services need it (jrp.catalogue.published). */
  publishedData(version: number): Promise<CataloguePublishedData> {
    return this.tables.publishedData(version);
  }

  /**
   * Per transaction: a batch of events reads each list type's measures once. Outside a transaction
   * nothing is cached (the data source's own manager lives as long as the process: a cache keyed by it
   * would never see a new catalogue version).
   */
  private readonly matchingCache = new WeakMap<EntityManager, Map<string, Promise<CatalogueMeasure[]>>>();

  /** The measures of one list type with their implementers and names, as matching needs them. */
  measuresForMatching(listType: string): Promise<CatalogueMeasure[]> {
    const m = this.manager;
    if (m === this.dataSource.manager) return this.readMeasuresForMatching(listType);
    let cache = this.matchingCache.get(m);
    if (!cache) this.matchingCache.set(m, (cache = new Map<string, Promise<CatalogueMeasure[]>>()));
    let measures = cache.get(listType);
    if (!measures) cache.set(listType, (measures = this.readMeasuresForMatching(listType)));
    return measures;
  }

  private readMeasuresForMatching(listType: string): Promise<CatalogueMeasure[]> {
    return this.query<CatalogueMeasure[]>(
      `SELECT ms.code AS id, ms.text, ms.applies_to AS "appliesTo", ms.subject_kinds AS "subjectKinds",
              ms.feedback_due_working_days AS "feedbackDueWorkingDays",
              ms.term_months AS "termMonths", ms.term_from AS "termFrom", to_char(ms.effective_from, 'YYYY-MM-DD') AS "effectiveFrom",
              to_char(ms.effective_to, 'YYYY-MM-DD') AS "effectiveTo", ms.scope_region AS "scopeRegion",
              lt.name AS "listTypeName", lt.objection_holds_measures AS "objectionHoldsMeasures",
              json_agg(json_build_object('code', o.code, 'name', o.name) ORDER BY o.code) AS implementers
       FROM measures ms
       JOIN list_types lt ON lt.code = ms.list_type
       JOIN measure_implementers i ON i.measure_code = ms.code
       JOIN organizations o ON o.code = i.organization_code
       WHERE ms.list_type = $1
       GROUP BY ms.code, lt.name, lt.objection_holds_measures ORDER BY ms.code`,
      [listType],
    );
  }
}

export type { SubjectKind };
