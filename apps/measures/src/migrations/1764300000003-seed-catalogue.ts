import { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { CatalogueEvents, eventIdOf, OrganizationLevel, Role } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import { catalogueSeed as seed, seedDocument } from '../catalogue/seed/seed-catalogue';
import { CatalogueTables } from '../catalogue/versions/catalogue-document.repository';
import { addListTypeRuleColumns } from './1764300000191-list-type-rules';
import { addMeasureBasisColumns } from './1764300000241-measure-basis';
import { addMeasureTermColumns } from './1764300000251-measure-terms';

/**
 * The provincial seed catalogue (see docs/catalogue-seed.md), as one published version. Run by a
 * migration, on its query runner's manager (no transaction of the data source is open there).
 */
async function seedCatalogue(manager: EntityManager, outbox: OutboxService): Promise<void> {
  const tables = new CatalogueTables(() => manager);
  await tables.insertSeedOrganizations(
    seed.organizations.map((o) => ({
      code: o.code,
      name: o.name,
      shortName: o.shortName,
      level: o.level as OrganizationLevel,
      region: o.region,
      aliases: o.aliases,
      roles: o.roles as Role[],
      mapping: o.mapping,
      note: (o as { note?: string }).note ?? null,
    })),
  );
  await tables.replace(seedDocument());
  await tables.insertSeedVersion();
  await outbox.append(manager, [
    {
      id: eventIdOf('catalogue', 'province', 1, CatalogueEvents.Published),
      type: CatalogueEvents.Published,
      key: 'catalogue',
      subject: 'catalogue/1',
      data: await tables.publishedData(1),
    },
  ]);
}

/** Seeds the provincial catalogue and announces it (jrp.catalogue.published) through the outbox. */
export class SeedCatalogue1764300000003 implements MigrationInterface {
  name = 'SeedCatalogue1764300000003';

  async up(q: QueryRunner): Promise<void> {
    // the seed writes each list type's rule set: its columns first (ListTypeRules1764300000191)
    await addListTypeRuleColumns(q);
    // and each measure's basis and source (MeasureBasis1764300000241)
    await addMeasureBasisColumns(q);
    // and each measure's term (MeasureTerms1764300000251)
    await addMeasureTermColumns(q);
    await seedCatalogue(q.manager, new OutboxService('/jrp/measures'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'catalogue_versions',
      'measure_implementers',
      'measures',
      'list_types',
      'memoranda',
      'organizations',
    ]) {
      await q.query(`DELETE FROM ${t}`);
    }
  }
}
