import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CataloguePublishedData, OrganizationData, SubjectKind } from '@jrp/contracts';
import { CatalogueMeasure } from '../matching/match-measures';

export interface OrganizationRow extends OrganizationData {
  shortName: string | null;
  aliases: string[];
}

const ORGANIZATION_COLUMNS = `code, name, short_name AS "shortName", level, region, aliases, roles`;

export async function listOrganizations(m: EntityManager | DataSource): Promise<OrganizationRow[]> {
  return m.query(`SELECT ${ORGANIZATION_COLUMNS} FROM organizations ORDER BY code`);
}

/** The catalogue as other services need it (jrp.catalogue.published). */
export async function cataloguePublishedData(
  m: EntityManager | DataSource,
  version: number,
): Promise<CataloguePublishedData> {
  const listTypes = await m.query<CataloguePublishedData['listTypes']>(
    `SELECT code, name, colour, identifying_organization AS "identifyingOrganization", subject_kinds AS "subjectKinds",
            repairable, default_validity_days AS "defaultValidityDays"
     FROM list_types ORDER BY code`,
  );
  const organizations = (await listOrganizations(m)).map(({ code, name, level, region, roles }) => ({
    code,
    name,
    level,
    region,
    roles,
  }));
  const memoranda = await m.query<CataloguePublishedData['memoranda']>(
    `SELECT code, name FROM memoranda ORDER BY code`,
  );
  const measures = await m.query<CataloguePublishedData['measures']>(
    `SELECT code, memorandum FROM measures ORDER BY code`,
  );
  return { version, listTypes, organizations, memoranda, measures };
}

/** Reads of the measure catalogue (联合奖惩措施清单). */
@Injectable()
export class CatalogueRepository {
  constructor(@InjectDataSource('measures') private readonly dataSource: DataSource) {}

  listTypes(after: string, limit: number, colour?: string): Promise<{ code: string }[]> {
    return this.dataSource.query(
      `SELECT code, name, colour, identifying_organization AS "identifyingOrganization", repairable,
              default_validity_days AS "defaultValidityDays", subject_kinds AS "subjectKinds", memoranda
       FROM list_types WHERE code > $1 AND ($2::text IS NULL OR colour = $2) ORDER BY code LIMIT $3`,
      [after, colour ?? null, limit],
    );
  }

  organizations(after: string, limit: number, level?: string, role?: string): Promise<OrganizationRow[]> {
    return this.dataSource.query(
      `SELECT ${ORGANIZATION_COLUMNS} FROM organizations
       WHERE code > $1 AND ($2::text IS NULL OR level = $2) AND ($3::text IS NULL OR $3 = ANY(roles)) ORDER BY code LIMIT $4`,
      [after, level ?? null, role ?? null, limit],
    );
  }

  memoranda(after: string, limit: number): Promise<{ code: string }[]> {
    return this.dataSource.query(
      `SELECT code, name, doc_no AS "docNo", doc_no_uncertain AS "docNoUncertain", year, kind, status,
              initiating_organization AS "initiatingOrganization", signatory_count AS "signatoryCount"
       FROM memoranda WHERE code > $1 ORDER BY code LIMIT $2`,
      [after, limit],
    );
  }

  organization(code: string, m: EntityManager | DataSource = this.dataSource): Promise<OrganizationRow | undefined> {
    return m
      .query(`SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE code = $1`, [code])
      .then((r: OrganizationRow[]) => r[0]);
  }

  async measures(
    q: { listType?: string; memorandum?: string; organization?: string; after?: string; limit?: number } = {},
  ): Promise<{ id: string }[]> {
    return this.dataSource.query(
      `SELECT m.code AS id, m.text, m.kind, m.category, m.memorandum, m.list_type AS "listType", m.legal_basis AS "legalBasis",
              m.applies_to AS "appliesTo", m.subject_kinds AS "subjectKinds", m.feedback_due_working_days AS "feedbackDueWorkingDays",
              m.needs_full_id_number AS "needsFullIdNumber", m.mapping_inferred AS "mappingInferred",
              to_char(m.effective_from, 'YYYY-MM-DD') AS "effectiveFrom", to_char(m.effective_to, 'YYYY-MM-DD') AS "effectiveTo",
              m.scope_region AS "scopeRegion",
              array_agg(i.organization_code ORDER BY i.organization_code) AS "implementingOrganizations"
       FROM measures m JOIN measure_implementers i ON i.measure_code = m.code
       WHERE ($1::text IS NULL OR m.list_type = $1) AND ($2::text IS NULL OR m.memorandum = $2) AND m.code > $4
         AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM measure_implementers x WHERE x.measure_code = m.code AND x.organization_code = $3))
       GROUP BY m.code ORDER BY m.code LIMIT $5`,
      [q.listType ?? null, q.memorandum ?? null, q.organization ?? null, q.after ?? '', q.limit ?? 1000],
    );
  }

  /** Per transaction: a batch of events reads each list type's measures once. */
  private readonly matchingCache = new WeakMap<EntityManager, Map<string, Promise<CatalogueMeasure[]>>>();

  /** The measures of one list type with their implementers and names, as matching needs them. */
  measuresForMatching(m: EntityManager, listType: string): Promise<CatalogueMeasure[]> {
    let cache = this.matchingCache.get(m);
    if (!cache) this.matchingCache.set(m, (cache = new Map<string, Promise<CatalogueMeasure[]>>()));
    let measures = cache.get(listType);
    if (!measures) cache.set(listType, (measures = this.readMeasuresForMatching(m, listType)));
    return measures;
  }

  private readMeasuresForMatching(m: EntityManager, listType: string): Promise<CatalogueMeasure[]> {
    return m.query(
      `SELECT ms.code AS id, ms.text, ms.applies_to AS "appliesTo", ms.subject_kinds AS "subjectKinds",
              ms.feedback_due_working_days AS "feedbackDueWorkingDays", to_char(ms.effective_from, 'YYYY-MM-DD') AS "effectiveFrom",
              to_char(ms.effective_to, 'YYYY-MM-DD') AS "effectiveTo", ms.scope_region AS "scopeRegion",
              lt.name AS "listTypeName",
              json_agg(json_build_object('code', o.code, 'name', o.name) ORDER BY o.code) AS implementers
       FROM measures ms
       JOIN list_types lt ON lt.code = ms.list_type
       JOIN measure_implementers i ON i.measure_code = ms.code
       JOIN organizations o ON o.code = i.organization_code
       WHERE ms.list_type = $1
       GROUP BY ms.code, lt.name ORDER BY ms.code`,
      [listType],
    );
  }
}

export type { SubjectKind };
