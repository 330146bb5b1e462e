import { DataSource, EntityManager } from 'typeorm';
import { CatalogueDocument, normaliseDocument } from './catalogue-document';

type Db = EntityManager | DataSource;

/** The live catalogue tables as one document. */
export async function catalogueDocument(m: Db): Promise<CatalogueDocument> {
  const memoranda = await m.query<CatalogueDocument['memoranda']>(
    `SELECT code, name, doc_no AS "docNo", doc_no_uncertain AS "docNoUncertain", year, kind, status,
            initiating_organization AS "initiatingOrganization", signatory_count AS "signatoryCount" FROM memoranda`,
  );
  const listTypes = await m.query<CatalogueDocument['listTypes']>(
    `SELECT code, name, colour, identifying_organization AS "identifyingOrganization", repairable,
            default_validity_days AS "defaultValidityDays", subject_kinds AS "subjectKinds", memoranda FROM list_types`,
  );
  const measures = await m.query<CatalogueDocument['measures']>(
    `SELECT ms.code, ms.text, ms.kind, ms.category, ms.memorandum, ms.list_type AS "listType",
            COALESCE((SELECT array_agg(organization_code ORDER BY organization_code) FROM measure_implementers i WHERE i.measure_code = ms.code), '{}') AS "implementingOrganizations",
            ms.mapping_inferred AS "mappingInferred", ms.legal_basis AS "legalBasis", ms.applies_to AS "appliesTo", ms.subject_kinds AS "subjectKinds",
            ms.feedback_due_working_days AS "feedbackDueWorkingDays", ms.needs_full_id_number AS "needsFullIdNumber",
            to_char(ms.effective_from, 'YYYY-MM-DD') AS "effectiveFrom", to_char(ms.effective_to, 'YYYY-MM-DD') AS "effectiveTo",
            ms.scope_region AS "scopeRegion"
     FROM measures ms`,
  );
  return normaliseDocument({ memoranda, listTypes, measures });
}

/** Replaces the live catalogue tables with a document (in the caller's transaction). */
export async function writeCatalogue(m: EntityManager, doc: CatalogueDocument): Promise<void> {
  await m.query(`DELETE FROM measure_implementers`);
  await m.query(`DELETE FROM measures`);
  await m.query(`DELETE FROM list_types`);
  await m.query(`DELETE FROM memoranda`);
  for (const x of doc.memoranda) {
    await m.query(
      `INSERT INTO memoranda (code, name, doc_no, doc_no_uncertain, year, kind, status, initiating_organization, signatory_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [x.code, x.name, x.docNo, x.docNoUncertain, x.year, x.kind, x.status, x.initiatingOrganization, x.signatoryCount],
    );
  }
  for (const x of doc.listTypes) {
    await m.query(
      `INSERT INTO list_types (code, name, colour, identifying_organization, repairable, default_validity_days, subject_kinds, memoranda)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        x.code,
        x.name,
        x.colour,
        x.identifyingOrganization,
        x.repairable,
        x.defaultValidityDays,
        x.subjectKinds,
        x.memoranda,
      ],
    );
  }
  for (const x of doc.measures) {
    await m.query(
      `INSERT INTO measures (code, text, kind, category, memorandum, list_type, legal_basis, applies_to, subject_kinds,
         feedback_due_working_days, needs_full_id_number, mapping_inferred, effective_from, effective_to, scope_region)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        x.code,
        x.text,
        x.kind,
        x.category,
        x.memorandum,
        x.listType,
        x.legalBasis,
        x.appliesTo,
        x.subjectKinds,
        x.feedbackDueWorkingDays,
        x.needsFullIdNumber,
        x.mappingInferred,
        x.effectiveFrom,
        x.effectiveTo,
        x.scopeRegion,
      ],
    );
    for (const org of x.implementingOrganizations) {
      await m.query(`INSERT INTO measure_implementers (measure_code, organization_code) VALUES ($1, $2)`, [
        x.code,
        org,
      ]);
    }
  }
}
