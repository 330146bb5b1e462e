import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import { JrpConfig } from '@jrp/config';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';

export interface ServiceDataSourceOptions {
  /** TypeORM connection name: the service's name. */
  name: string;
  url: string;
  /** The service's own schema; every unqualified table name resolves there. */
  schema: string;
  migrations: MixedList<Function>;
  poolSize?: number;
}

/** Creates the schema when it does not exist yet, so migrations can run inside it. */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

/**
 * Options of one service's data source: its own schema (search_path), its own migrations (recorded in
 * the schema's own `migrations` table, run by `openServiceDataSource`), never `synchronize`.
 */
export function serviceDataSourceOptions(o: ServiceDataSourceOptions): DataSourceOptions {
  if (!/^[a-z][a-z0-9_]*$/.test(o.schema)) throw new Error(`invalid schema name ${o.schema}`);
  return {
    type: 'postgres',
    name: o.name,
    url: o.url,
    schema: o.schema,
    // Services query with SQL through their repositories; the schema is the migrations' alone.
    entities: [],
    migrations: o.migrations,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Fail fast: a service that cannot reach its database or migrate it must not start half-way.
    retryAttempts: 1,
    retryDelay: 1000,
    // Failed queries surface as errors, logged by the redacting logger; TypeORM's own console logging
    // would print query parameters (a searched ID number, say) unredacted.
    logging: false,
    applicationName: `jrp-${o.name}`,
    extra: { options: `-c search_path=${o.schema} -c timezone=UTC`, max: o.poolSize ?? 10 },
  } as DataSourceOptions;
}

/**
 * Opens a service's data source: ensures its schema, connects, and runs pending migrations while
 * holding an advisory lock, so replicas starting together migrate once.
 */
export async function openServiceDataSource(options: DataSourceOptions & { schema: string; url: string }): Promise<DataSource> {
  await ensureSchema(options.url, options.schema);
  const dataSource = await new DataSource(options).initialize();
  const lock = new Client({ connectionString: options.url });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext($1))`, [`${options.schema}.migrations`]);
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  } finally {
    await lock.end();
  }
  return dataSource;
}

/**
 * One service's database for Nest: its TypeORM data source named after the service, in the service's
 * schema, migrated at start.
 */
export function serviceDatabase(o: { name: string; schema: (config: JrpConfig) => string; migrations: MixedList<Function> }): DynamicModule {
  return TypeOrmModule.forRootAsync({
    name: o.name,
    inject: [JrpConfig],
    useFactory: (config: JrpConfig) =>
      serviceDataSourceOptions({ name: o.name, url: config.databaseUrl, schema: o.schema(config), migrations: o.migrations }),
    dataSourceFactory: (options) => openServiceDataSource(options as DataSourceOptions & { schema: string; url: string }),
  });
}
