import { EntityManager } from 'typeorm';
import { CatalogueEvents, eventIdOf } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import seed from './catalogue.seed.json';
import { cataloguePublishedData } from '../catalogue.repository';

/** The provincial seed catalogue (see docs/catalogue-seed.md), as one published version. */
export async function seedCatalogue(manager: EntityManager, outbox: OutboxService): Promise<void> {
  for (const o of seed.organizations) {
    await manager.query(
      `INSERT INTO organizations (code, name, short_name, level, region, aliases, roles, mapping, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [o.code, o.name, o.shortName, o.level, o.region, o.aliases, o.roles, o.mapping, (o as { note?: string }).note ?? null],
    );
  }
  for (const m of seed.memoranda) {
    await manager.query(
      `INSERT INTO memoranda (code, name, doc_no, doc_no_uncertain, year, kind, status, initiating_organization, signatory_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [m.code, m.name, m.docNo, m.docNoUncertain, m.year, m.kind, m.status, m.initiatingOrganization, m.signatoryCount],
    );
  }
  for (const l of seed.listTypes) {
    await manager.query(
      `INSERT INTO list_types (code, name, colour, identifying_organization, repairable, default_validity_days, subject_kinds, memoranda)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [l.code, l.name, l.colour, l.identifyingOrganization, l.repairable, l.defaultValidityDays, l.subjectKinds, l.memoranda],
    );
  }
  for (const m of seed.measures) {
    await manager.query(
      `INSERT INTO measures (code, text, kind, category, memorandum, list_type, legal_basis, applies_to, subject_kinds,
         feedback_due_working_days, needs_full_id_number, mapping_inferred)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [m.code, m.text, m.kind, m.category, m.memorandum, m.listType, m.legalBasis, m.appliesTo, m.subjectKinds,
        m.feedbackDueWorkingDays, m.needsFullIdNumber, m.mappingInferred],
    );
    for (const org of m.implementingOrganizations) {
      await manager.query(`INSERT INTO measure_implementers (measure_code, organization_code) VALUES ($1, $2)`, [m.code, org]);
    }
  }
  await manager.query(`INSERT INTO catalogue_versions (version, note) VALUES (1, 'seed catalogue')`);
  await outbox.append(manager, [
    {
      id: eventIdOf('catalogue', 'province', 1, CatalogueEvents.Published),
      type: CatalogueEvents.Published,
      key: 'catalogue',
      subject: 'catalogue/1',
      data: await cataloguePublishedData(manager, 1),
    },
  ]);
}
