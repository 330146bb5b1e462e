import { EntityManager } from 'typeorm';
import { CatalogueEvents, eventIdOf } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import seed from './catalogue.seed.json';
import { cataloguePublishedData } from '../catalogue.repository';
import { CatalogueDocument, normaliseDocument } from '../versions/catalogue-document';
import { writeCatalogue } from '../versions/catalogue-document.repository';

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

/** The provincial seed catalogue (see docs/catalogue-seed.md), as one published version. */
export async function seedCatalogue(manager: EntityManager, outbox: OutboxService): Promise<void> {
  for (const o of seed.organizations) {
    await manager.query(
      `INSERT INTO organizations (code, name, short_name, level, region, aliases, roles, mapping, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        o.code,
        o.name,
        o.shortName,
        o.level,
        o.region,
        o.aliases,
        o.roles,
        o.mapping,
        (o as { note?: string }).note ?? null,
      ],
    );
  }
  await writeCatalogue(manager, seedDocument());
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
