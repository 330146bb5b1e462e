import { serviceDatabase } from '@jrp/database';
import { MEASURES_MIGRATIONS } from './measures.migrations';

export const MEASURES = 'measures';

/**
 * measures' data source: its schema, migrated at start. A function, called once by whoever composes it
 * (MeasuresCoreModule, the admin tool): TypeORM registers a data source's name once per process.
 */
export const measuresDatabase = () =>
  serviceDatabase({ name: MEASURES, schema: (config) => config.schemaOf('measures'), migrations: MEASURES_MIGRATIONS });
