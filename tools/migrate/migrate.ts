import { ConfigurationError, EnvironmentVariables, validateEnvironment } from '@jrp/config';
import { grantServiceRole, MigrationList, migrateServiceSchema, serviceDataSourceOptions } from '@jrp/database';
import { FEEDBACK_MIGRATIONS } from '@jrp/feedback/feedback.migrations';
import { LIST_INGESTION_MIGRATIONS } from '@jrp/list-ingestion/list-ingestion.migrations';
import { MEASURES_APPEND_ONLY_TABLES, MEASURES_MIGRATIONS } from '@jrp/measures/measures.migrations';
import { parseServiceArgs, ServiceCommand } from '../command-line';

export const USAGE = `usage: npm run migrate -- [--service <name>]…
       (in the image: node dist/tools/migrate/cli.js [--service <name>]…)

Runs the pending migrations of every service (or of each --service named: list-ingestion, measures,
feedback) in its own schema, as the role of DATABASE_URL, which then owns the schemas, and prints
what it applied. Services started with JRP_MIGRATE=false rely on it.

For each service whose database password is given (JRP_LIST_INGESTION_DB_PASSWORD,
JRP_MEASURES_DB_PASSWORD, JRP_FEEDBACK_DB_PASSWORD, or the same names with _FILE), it also creates the
service's login role (jrp_<schema>: jrp_list_ingestion, jrp_measures, jrp_feedback) or sets its
password, and grants it its own schema only: USAGE on the schema, SELECT, INSERT, UPDATE and DELETE on
its tables (SELECT and INSERT only on the audit trail, which the owner keeps: the role can neither
change, delete nor truncate records, nor disable its triggers or drop it), USAGE and SELECT on its
sequences, MAINTAIN on its outbox queue (the relay vacuums it).

environment: DATABASE_URL (and DATABASE_PASSWORD), JRP_DB_SCHEMA_PREFIX, the passwords above.
exit status: 0 done, 1 failed, 2 usage error.`;

export const SERVICES = ['list-ingestion', 'measures', 'feedback'] as const;
export type MigratedService = (typeof SERVICES)[number];

const MIGRATIONS: Record<MigratedService, MigrationList> = {
  'list-ingestion': LIST_INGESTION_MIGRATIONS,
  measures: MEASURES_MIGRATIONS,
  feedback: FEEDBACK_MIGRATIONS,
};

/** Tables a service's role may only read and append to (the owner keeps them): the audit trail. */
const APPEND_ONLY: Record<MigratedService, string[]> = {
  'list-ingestion': [],
  measures: MEASURES_APPEND_ONLY_TABLES,
  feedback: [],
};

const PASSWORDS: Record<MigratedService, keyof EnvironmentVariables> = {
  'list-ingestion': 'JRP_LIST_INGESTION_DB_PASSWORD',
  measures: 'JRP_MEASURES_DB_PASSWORD',
  feedback: 'JRP_FEEDBACK_DB_PASSWORD',
};

export type MigrateCommand = ServiceCommand<MigratedService>;

/** Parses the command line; throws UsageError with what is wrong. */
export function parseMigrateArgs(args: string[]): MigrateCommand {
  return parseServiceArgs(args, SERVICES);
}

/** The login role of a service's schema: `jrp_list_ingestion` (with a prefix: `jrp_<prefix>list_ingestion`). */
export function serviceRole(schema: string): string {
  return `jrp_${schema}`;
}

/** Runs the migrations (and the roles' grants) the command names; `print` gets the output lines. */
export async function runMigrate(
  command: MigrateCommand,
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<void> {
  const vars = validateEnvironment(env);
  const url = vars.DATABASE_URL;
  if (!url) {
    const missing = '  - missing DATABASE_URL (the role that owns the schemas)';
    throw new ConfigurationError(`invalid configuration for migrate:\n${missing}`);
  }
  const prefix = vars.JRP_DB_SCHEMA_PREFIX ?? '';
  for (const service of command.services) {
    const schema = `${prefix}${service.replace(/-/g, '_')}`;
    const options = serviceDataSourceOptions({
      name: `migrate-${service}`,
      url,
      schema,
      migrations: MIGRATIONS[service],
      poolSize: 2,
    });
    const { dataSource, applied } = await migrateServiceSchema({ ...options, schema, url });
    await dataSource.destroy();
    const done = applied.length > 0 ? `applied ${applied.join(', ')}` : 'up to date';
    print(`${service} (schema ${schema}): ${done}`);
    const password = vars[PASSWORDS[service]] as string | undefined;
    if (password) {
      const appendOnlyTables = APPEND_ONLY[service];
      await grantServiceRole({ url, schema, role: serviceRole(schema), password, appendOnlyTables });
      print(`${service}: role ${serviceRole(schema)} may use schema ${schema}`);
    }
  }
}
