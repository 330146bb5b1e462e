import type { EntityManager } from 'typeorm';
import type { CataloguePublishedData, OrganizationData } from '@jrp/contracts';
import { insertRows, Table } from '@jrp/database';
import { CatalogueDocument, ListTypeDoc, MeasureDoc, MemorandumDoc, normaliseDocument } from './catalogue-document';

export interface OrganizationRow extends OrganizationData {
  shortName: string | null;
  aliases: string[];
}

/** `organizations`: the catalogue's columns (the seed's mapping notes are written by the seed alone). */
export const organizations = new Table<OrganizationRow>('organizations', {
  code: 'code',
  name: 'name',
  shortName: 'short_name',
  level: 'level',
  region: 'region',
  aliases: 'aliases',
  roles: 'roles',
});

export const memoranda = new Table<MemorandumDoc>('memoranda', {
  code: 'code',
  name: 'name',
  docNo: 'doc_no',
  docNoUncertain: 'doc_no_uncertain',
  year: 'year',
  kind: 'kind',
  status: 'status',
  initiatingOrganization: 'initiating_organization',
  signatoryCount: 'signatory_count',
});

export const listTypes = new Table<ListTypeDoc>('list_types', {
  code: 'code',
  name: 'name',
  colour: 'colour',
  identifyingOrganization: 'identifying_organization',
  repairable: 'repairable',
  defaultValidityDays: 'default_validity_days',
  subjectKinds: 'subject_kinds',
  memoranda: 'memoranda',
  procedure: 'procedure',
  repairPath: 'repair_path',
  grades: { column: 'grades', cast: 'jsonb' },
  defaultGrade: 'default_grade',
  objectionHoldsMeasures: 'objection_holds_measures',
  basis: { column: 'basis', cast: 'jsonb' },
  removalConditions: 'removal_conditions',
  remedies: 'remedies',
  repairDecisionWorkingDays: 'repair_decision_working_days',
  withheldFacilitations: { column: 'withheld_facilitations', cast: 'jsonb' },
});

/** `measures`: a measure's own columns (its implementing organisations are rows of `measure_implementers`). */
export const measures = new Table<Omit<MeasureDoc, 'implementingOrganizations'>>('measures', {
  code: 'code',
  text: 'text',
  kind: 'kind',
  category: 'category',
  memorandum: 'memorandum',
  listType: 'list_type',
  mappingInferred: 'mapping_inferred',
  legalBasis: 'legal_basis',
  basis: { column: 'basis', cast: 'jsonb' },
  source: { column: 'source', cast: 'jsonb' },
  basisPending: 'basis_pending',
  basisPendingReason: 'basis_pending_reason',
  appliesTo: 'applies_to',
  subjectKinds: 'subject_kinds',
  feedbackDueWorkingDays: 'feedback_due_working_days',
  termMonths: 'term_months',
  termFrom: 'term_from',
  needsFullIdNumber: 'needs_full_id_number',
  effectiveFrom: { column: 'effective_from', read: `to_char($, 'YYYY-MM-DD')`, cast: 'date' },
  effectiveTo: { column: 'effective_to', read: `to_char($, 'YYYY-MM-DD')`, cast: 'date' },
  scopeRegion: 'scope_region',
});

export const measureImplementers = new Table<{ measureCode: string; organizationCode: string }>(
  'measure_implementers',
  { measureCode: 'measure_code', organizationCode: 'organization_code' },
);

/**
 * The live catalogue's statements on one manager: the catalogue repository's (the transaction open in
 * the current context) or a migration's query runner (the seed, the first version's document), so the
 * statements are written once for both.
 */
export class CatalogueTables {
  constructor(private readonly manager: () => EntityManager) {}

  private query<Result>(sql: string, parameters?: unknown[]): Promise<Result> {
    return this.manager().query<Result>(sql, parameters);
  }

  /** Every organisation, by code. */
  organizations(): Promise<OrganizationRow[]> {
    return this.query<OrganizationRow[]>(`SELECT ${organizations.selectList()} FROM organizations ORDER BY code`);
  }

  /** List types by code, after `after` (all of them without a window). */
  listTypes(window: { after?: string; limit?: number; colour?: string } = {}): Promise<ListTypeDoc[]> {
    return this.query<ListTypeDoc[]>(
      `SELECT ${listTypes.selectList()} FROM list_types
       WHERE code > $1 AND ($2::text IS NULL OR colour = $2) ORDER BY code LIMIT $3`,
      [window.after ?? '', window.colour ?? null, window.limit ?? null],
    );
  }

  /** Memoranda by code, after `after` (all of them without a window). */
  memoranda(window: { after?: string; limit?: number } = {}): Promise<MemorandumDoc[]> {
    return this.query<MemorandumDoc[]>(
      `SELECT ${memoranda.selectList()} FROM memoranda WHERE code > $1 ORDER BY code LIMIT $2`,
      [window.after ?? '', window.limit ?? null],
    );
  }

  /** Measures with at least one implementer, by code, with the filters of the catalogue API. */
  async measures(q: {
    listType?: string;
    memorandum?: string;
    organization?: string;
    basisPending?: boolean;
    after: string;
    limit: number;
  }): Promise<{ id: string }[]> {
    const rows = await this.query<
      (Omit<MeasureDoc, 'implementingOrganizations'> & { implementingOrganizations: string[] })[]
    >(
      `SELECT ${measures.selectList('m')},
              array_agg(i.organization_code ORDER BY i.organization_code) AS "implementingOrganizations"
       FROM measures m JOIN measure_implementers i ON i.measure_code = m.code
       WHERE ($1::text IS NULL OR m.list_type = $1) AND ($2::text IS NULL OR m.memorandum = $2) AND m.code > $4
         AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM measure_implementers x WHERE x.measure_code = m.code AND x.organization_code = $3))
         AND ($6::boolean IS NULL OR m.basis_pending = $6)
       GROUP BY m.code ORDER BY m.code LIMIT $5`,
      [q.listType ?? null, q.memorandum ?? null, q.organization ?? null, q.after, q.limit, q.basisPending ?? null],
    );
    // the API names a measure's code `id`
    return rows.map(({ code, ...rest }) => ({ id: code, ...rest }));
  }

  /** The live catalogue tables as one document. */
  async document(): Promise<CatalogueDocument> {
    const memorandaRows = await this.query<MemorandumDoc[]>(`SELECT ${memoranda.selectList()} FROM memoranda`);
    const listTypeRows = await this.query<ListTypeDoc[]>(`SELECT ${listTypes.selectList()} FROM list_types`);
    const measureRows = await this.query<MeasureDoc[]>(
      `SELECT ${measures.selectList('ms')},
              COALESCE((SELECT array_agg(organization_code ORDER BY organization_code) FROM measure_implementers i WHERE i.measure_code = ms.code), '{}') AS "implementingOrganizations"
       FROM measures ms`,
    );
    return normaliseDocument({ memoranda: memorandaRows, listTypes: listTypeRows, measures: measureRows });
  }

  /** Replaces the live catalogue tables with a document (in the transaction of the manager). */
  async replace(doc: CatalogueDocument): Promise<void> {
    const manager = this.manager();
    await this.query(`DELETE FROM measure_implementers`);
    await this.query(`DELETE FROM measures`);
    await this.query(`DELETE FROM list_types`);
    await this.query(`DELETE FROM memoranda`);
    await insertRows(manager, memoranda, doc.memoranda);
    // grades and withheld facilitations as JSON text: the driver would send an array as a PostgreSQL array
    await insertRows(
      manager,
      listTypes,
      doc.listTypes.map((l) => ({
        ...l,
        grades: JSON.stringify(l.grades) as unknown as ListTypeDoc['grades'],
        withheldFacilitations: JSON.stringify(
          l.withheldFacilitations,
        ) as unknown as ListTypeDoc['withheldFacilitations'],
      })),
    );
    // basis and source as JSON text: the driver would send an array as a PostgreSQL array
    await insertRows(
      manager,
      measures,
      doc.measures.map((x) => ({
        ...x,
        basis: JSON.stringify(x.basis) as unknown as MeasureDoc['basis'],
        source: JSON.stringify(x.source) as unknown as MeasureDoc['source'],
      })),
    );
    await insertRows(
      manager,
      measureImplementers,
      doc.measures.flatMap((x) =>
        x.implementingOrganizations.map((org) => ({ measureCode: x.code, organizationCode: org })),
      ),
    );
  }

  /** The catalogue as other services need it (jrp.catalogue.published). */
  async publishedData(version: number): Promise<CataloguePublishedData> {
    // every list type with its rule set (jrp.catalogue.published carries it; older readers ignore it)
    const listTypeRows = (await this.listTypes()).map(({ memoranda: _memoranda, ...listType }) => listType);
    const organizationRows = (await this.organizations()).map(({ code, name, level, region, roles }) => ({
      code,
      name,
      level,
      region,
      roles,
    }));
    const memorandumRows = await this.query<CataloguePublishedData['memoranda']>(
      `SELECT code, name FROM memoranda ORDER BY code`,
    );
    // with what a listing decision document (列入决定书, list-ingestion) states of the measures that follow
    const measureRows = await this.query<CataloguePublishedData['measures']>(
      `SELECT ms.code, ms.memorandum, ms.text, ms.list_type AS "listType", ms.kind, ms.scope_region AS "scopeRegion",
              coalesce(array_agg(i.organization_code ORDER BY i.organization_code) FILTER (WHERE i.organization_code IS NOT NULL), '{}') AS "implementingOrganizations"
       FROM measures ms LEFT JOIN measure_implementers i ON i.measure_code = ms.code
       GROUP BY ms.code ORDER BY ms.code`,
    );
    return {
      version,
      listTypes: listTypeRows,
      organizations: organizationRows,
      memoranda: memorandumRows,
      measures: measureRows,
    };
  }

  /** The seed's organisations, with the seed's mapping notes. */
  async insertSeedOrganizations(rows: (OrganizationRow & { mapping: string | null; note: string | null })[]) {
    for (const o of rows) {
      const first = organizations.writable().length + 1;
      await this.query(
        `INSERT INTO organizations (${organizations.columnList()}, mapping, note)
         VALUES (${organizations.placeholders(1)}, $${first}, $${first + 1})`,
        [...organizations.valuesOf(o), o.mapping, o.note],
      );
    }
  }

  /** A published version's row, without its document (the seed's first version). */
  async insertSeedVersion(): Promise<void> {
    await this.query(`INSERT INTO catalogue_versions (version, note) VALUES (1, 'seed catalogue')`);
  }
}

/** The live catalogue as one document, read with a migration's manager (the first version's document). */
export function catalogueDocument(manager: EntityManager): Promise<CatalogueDocument> {
  return new CatalogueTables(() => manager).document();
}
