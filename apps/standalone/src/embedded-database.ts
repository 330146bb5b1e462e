import { join } from 'node:path';
import { embeddedDatabasePasswords, JrpConfig } from '@jrp/config';
import {
  EmbeddedPostgresHandle,
  grantServiceRole,
  MigrationList,
  migrateServiceSchema,
  serviceDataSourceOptions,
  startEmbeddedPostgres,
} from '@jrp/database';
import { FEEDBACK_MIGRATIONS } from '@jrp/feedback/feedback.migrations';
import { LIST_INGESTION_MIGRATIONS } from '@jrp/list-ingestion/list-ingestion.migrations';
import { MEASURES_APPEND_ONLY_TABLES, MEASURES_MIGRATIONS } from '@jrp/measures/measures.migrations';

const SERVICES: {
  service: 'list-ingestion' | 'measures' | 'feedback';
  migrations: MigrationList;
  appendOnly: string[];
}[] = [
  { service: 'list-ingestion', migrations: LIST_INGESTION_MIGRATIONS, appendOnly: [] },
  { service: 'measures', migrations: MEASURES_MIGRATIONS, appendOnly: MEASURES_APPEND_ONLY_TABLES },
  { service: 'feedback', migrations: FEEDBACK_MIGRATIONS, appendOnly: [] },
];

/** The role the one-process deployment's services connect to its embedded PostgreSQL as. */
export function embeddedServiceRole(config: JrpConfig): string {
  return `jrp_${config.schemaPrefix}standalone`;
}

export interface EmbeddedDatabase {
  postgres: EmbeddedPostgresHandle;
  /** The superuser's connection: it migrates and owns the schemas. */
  ownerUrl: string;
  /** The services' connection, as embeddedServiceRole. */
  servicesUrl: string;
}

/**
 * `npm start` without DATABASE_URL: its own PostgreSQL, data in JRP_DATA_DIR/pg, the superuser's password
 * generated on the first start and kept in JRP_DATA_DIR/secrets.json. The superuser runs the three
 * services' migrations and owns their tables; the services then connect as a role of their own
 * (embeddedServiceRole, its password kept there too) that may use the three schemas' rows but neither
 * change their structure nor change, delete or truncate the audit trail, as `npm run migrate` grants
 * the separate services' roles (grantServiceRole).
 */
export async function startEmbeddedDatabase(config: JrpConfig, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const passwords = embeddedDatabasePasswords(config.dataDir);
  const postgres = await startEmbeddedPostgres({
    dataDir: join(config.dataDir, 'pg'),
    password: passwords.superuser,
    log,
  });
  try {
    const role = embeddedServiceRole(config);
    for (const { service, migrations, appendOnly } of SERVICES) {
      const schema = config.schemaOf(service);
      const options = serviceDataSourceOptions({ name: `migrate-${service}`, url: postgres.url, schema, migrations });
      const { dataSource } = await migrateServiceSchema({ ...options, schema, url: postgres.url });
      await dataSource.destroy();
      await grantServiceRole({
        url: postgres.url,
        schema,
        role,
        password: passwords.services,
        appendOnlyTables: appendOnly,
      });
    }
    const servicesUrl = new URL(postgres.url);
    servicesUrl.username = role;
    servicesUrl.password = encodeURIComponent(passwords.services);
    return { postgres, ownerUrl: postgres.url, servicesUrl: servicesUrl.toString() };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}
