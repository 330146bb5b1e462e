import seed from './catalogue.seed.json';

export { seed as catalogueSeed };
import { CatalogueDocument, normaliseDocument } from '../versions/catalogue-document';

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
