import { ConfigurationError, validateEnvironment } from '@jrp/config';
import { FieldCipher, KeyRing, parseKeyRing } from '@jrp/crypto';
import {
  EncryptedColumn,
  MigrationList,
  openServiceDataSource,
  reencryptColumns,
  serviceDataSourceOptions,
} from '@jrp/database';
import { LIST_INGESTION_ENCRYPTED_COLUMNS } from '@jrp/list-ingestion/commands/rotate-data-keys';
import { LIST_INGESTION_MIGRATIONS } from '@jrp/list-ingestion/list-ingestion.migrations';
import { MEASURES_ENCRYPTED_COLUMNS } from '@jrp/measures/commands/encrypted-columns';
import { MEASURES_MIGRATIONS } from '@jrp/measures/measures.migrations';
import { parseServiceArgs, ServiceCommand } from '../command-line';

export const USAGE = `usage: npm run rotate-data-keys -- [--service <name>]…
       (in the image: node dist/tools/rotate-data-keys/cli.js [--service <name>]…)

Re-encrypts, under the current data key (the first of JRP_DATA_KEYS) and cipher (JRP_DATA_CIPHER),
every value a service stores encrypted with the data keys that is not under them yet, in batches of
500 rows, and prints how many per column:
  list-ingestion  list_entries: the subject's and the legal representative's ID numbers
  measures        webhook_subscriptions: the signing secret and the previous one (during a rotation)
(feedback holds no data key and stores nothing encrypted). Without --service, both, one after the
other; with a service's own database role, name that service.

Put the new key first on every service that holds data keys, restart them, then run this until it
reports 0 everywhere before dropping the old key (docs/security.md, "Rotating keys and tokens").

environment: DATABASE_URL (and DATABASE_PASSWORD), JRP_DB_SCHEMA_PREFIX, JRP_DATA_KEYS, JRP_DATA_CIPHER.
The schemas must be migrated (the services migrate at start, or npm run migrate).
exit status: 0 done, 1 failed, 2 usage error.`;

export const ENCRYPTING_SERVICES = ['list-ingestion', 'measures'] as const;
export type EncryptingService = (typeof ENCRYPTING_SERVICES)[number];

/** Each service's encrypted columns and the migrations its schema must have had. */
const SERVICES: Record<EncryptingService, { columns: readonly EncryptedColumn[]; migrations: MigrationList }> = {
  'list-ingestion': { columns: LIST_INGESTION_ENCRYPTED_COLUMNS, migrations: LIST_INGESTION_MIGRATIONS },
  measures: { columns: MEASURES_ENCRYPTED_COLUMNS, migrations: MEASURES_MIGRATIONS },
};

export type RotateCommand = ServiceCommand<EncryptingService>;

/** Parses the command line; throws UsageError with what is wrong. */
export function parseRotateArgs(args: string[]): RotateCommand {
  return parseServiceArgs(args, ENCRYPTING_SERVICES, {
    feedback: 'feedback holds no data key: it stores nothing encrypted',
  });
}

/**
 * Re-encrypts the encrypted columns of the services the command names; `print` gets one line per
 * column (`list-ingestion list_entries.subject_id_number_encrypted: 3 re-encrypted`). Answers the total.
 */
export async function runRotateDataKeys(
  command: RotateCommand,
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
): Promise<number> {
  const vars = validateEnvironment(env);
  const missing = [
    ...(vars.DATABASE_URL ? [] : ['DATABASE_URL']),
    ...(vars.JRP_DATA_KEYS ? [] : ['JRP_DATA_KEYS (the keys, the new one first)']),
  ];
  if (missing.length > 0) {
    throw new ConfigurationError(
      `invalid configuration for rotate-data-keys:\n${missing.map((m) => `  - missing ${m}`).join('\n')}`,
    );
  }
  let ring: KeyRing;
  let cipher: FieldCipher;
  try {
    ring = parseKeyRing(vars.JRP_DATA_KEYS!);
    cipher = new FieldCipher(ring, vars.JRP_DATA_CIPHER ?? 'sm4');
  } catch (error) {
    throw new ConfigurationError(`invalid configuration:\n  - JRP_DATA_KEYS: ${(error as Error).message}`);
  }
  const url = vars.DATABASE_URL!;
  let total = 0;
  for (const service of command.services) {
    const schema = `${vars.JRP_DB_SCHEMA_PREFIX ?? ''}${service.replace(/-/g, '_')}`;
    const { columns, migrations } = SERVICES[service];
    const options = serviceDataSourceOptions({ name: `rotate-${service}`, url, schema, migrations, poolSize: 2 });
    const dataSource = await openServiceDataSource({ ...options, schema, url, migrate: false });
    try {
      for (const c of await reencryptColumns(dataSource, columns, cipher)) {
        print(`${service} ${c.table}.${c.column}: ${c.rotated} re-encrypted`);
        total += c.rotated;
      }
    } finally {
      await dataSource.destroy();
    }
  }
  print(`${total} value(s) re-encrypted under key ${ring.current().id}`);
  return total;
}
