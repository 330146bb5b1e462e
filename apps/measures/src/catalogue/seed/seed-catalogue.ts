import { EntityManager } from 'typeorm';
import { CatalogueEvents, eventIdOf, OrganizationLevel, Role } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import seed from './catalogue.seed.json';
import { CatalogueDocument, normaliseDocument } from '../versions/catalogue-document';
import { CatalogueTables } from '../versions/catalogue-document.repository';

/** The seed as a catalogue document: every measure province-wide and in force without end dates. */
export function seedDocument(): CatalogueDocument {
  return normaliseDocument({
    memoranda: seed.memoranda.map(
      ({ code, name, docNo, docNoUncertain, year, kind, status, initiatingOrganization, signatoryCount }) => ({
        code,
        name,
        docNo,
        docNoUncertain,
        year,
        kind,
        status,
        initiatingOrganization,
        signatoryCount,
      }),
    ),
    listTypes: seed.listTypes,
    measures: seed.measures.map((m) => ({ ...m, effectiveFrom: null, effectiveTo: null, scopeRegion: null })),
  } as CatalogueDocument);
}

/**
 * The provincial seed catalogue (see docs/catalogue-seed.md), as one published version. Run by a
 * migration, on its query runner's manager (no transaction of the data source is open there).
 */
export async function seedCatalogue(manager: EntityManager, outbox: OutboxService): Promise<void> {
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
