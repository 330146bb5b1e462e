import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import { ConfigurationError, JrpConfig } from '@jrp/config';
import { DataSource, DataSourceOptions, MigrationInterface, MixedList } from 'typeorm';

/** A service's migration classes, in the order they run. */
export type MigrationList = MixedList<new () => MigrationInterface>;

export interface ServiceDataSourceOptions {
  /** TypeORM connection name: the service's name. */
  name: string;
  url: string;
  /** The service's own schema; every unqualified table name resolves there. */
  schema: string;
  migrations: MigrationList;
  /** Connections the pool may open (10 when not given). */
  poolSize?: number;
}

/**
 * Creates the schema when it does not exist yet, so migrations can run inside it. An existing schema is
 * left alone, so a role without the right to create schemas gets this far.
 */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const existing = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]);
    if (existing.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

/** One round trip to the data source's database (readiness): rejects when it cannot answer. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}

/** Whether the data source's own schema has this table (an operator's tool meeting a deployment it did not create). */
export async function schemaHasTable(dataSource: DataSource, table: string): Promise<boolean> {
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  const [row] = await dataSource.query<Array<{ present: boolean }>>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${schema}.${table}`,
  ]);
  return row.present;
}

/** Raised when a service may not migrate (JRP_MIGRATE=false) and its schema lacks migrations. */
export class MigrationsPendingError extends ConfigurationError {}

/** The service's migrations not yet recorded in its schema's `migrations` table, by class name. */
export async function pendingMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  const expected = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
  const [table] = await dataSource.query<Array<{ present: boolean }>>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `"${schema}".migrations`,
  ]);
  if (!table.present) return expected;
  const applied: { name: string }[] = await dataSource.query(`SELECT name FROM "${schema}".migrations`);
  const done = new Set(applied.map((row) => row.name));
  return expected.filter((name) => !done.has(name));
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

export type ServiceDataSourceOpenOptions = DataSourceOptions & {
  schema: string;
  url: string;
  /** false: neither create the schema nor migrate it, but refuse to open unless every migration ran. */
  migrate?: boolean;
};

/**
 * Opens a service's data source: ensures its schema, connects, and runs pending migrations while
 * holding an advisory lock, so replicas starting together migrate once. With `migrate: false` (a
 * deployment that migrates with `npm run migrate` first) it only checks that every migration ran.
 */
export async function openServiceDataSource(options: ServiceDataSourceOpenOptions): Promise<DataSource> {
  if (options.migrate === false) return openMigratedDataSource(options);
  return (await migrateServiceSchema(options)).dataSource;
}

/** Ensures the schema and runs the pending migrations under the schema's advisory lock; names those it ran. */
export async function migrateServiceSchema(
  options: ServiceDataSourceOpenOptions,
): Promise<{ dataSource: DataSource; applied: string[] }> {
  await ensureSchema(options.url, options.schema);
  const dataSource = await new DataSource(options).initialize();
  const lock = new Client({ connectionString: options.url });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext($1))`, [`${options.schema}.migrations`]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { dataSource, applied: applied.map((migration) => migration.name) };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  } finally {
    await lock.end();
  }
}

async function openMigratedDataSource(options: ServiceDataSourceOpenOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  const pending = await pendingMigrations(dataSource, options.schema).catch(async (error) => {
    await dataSource.destroy();
    throw error;
  });
  if (pending.length > 0) {
    await dataSource.destroy();
    throw new MigrationsPendingError(
      `schema ${options.schema} lacks ${pending.length} migration(s) (${pending.join(', ')}) ` +
        'and JRP_MIGRATE is false: run `npm run migrate` (in the image: node dist/tools/migrate/cli.js) first',
    );
  }
  return dataSource;
}

/**
 * One service's database for Nest: its TypeORM data source named after the service, in the service's
 * schema, migrated at start (or checked to be, with JRP_MIGRATE=false).
 */
export function serviceDatabase(o: {
  name: string;
  schema: (config: JrpConfig) => string;
  migrations: MigrationList;
}): DynamicModule {
  return TypeOrmModule.forRootAsync({
    name: o.name,
    inject: [JrpConfig],
    useFactory: (config: JrpConfig) => ({
      ...serviceDataSourceOptions({
        name: o.name,
        url: config.databaseUrl,
        schema: o.schema(config),
        migrations: o.migrations,
        poolSize: config.dbPoolSize,
      }),
      migrate: config.migrate,
    }),
    dataSourceFactory: (options) => openServiceDataSource(options as ServiceDataSourceOpenOptions),
  });
}
