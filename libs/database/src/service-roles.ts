import { Client } from 'pg';
import { ConfigurationError } from '@jrp/config';

export interface ServiceRoleGrant {
  /** A connection as the owner of the schema (who ran its migrations). */
  url: string;
  schema: string;
  /** The login role the service connects as. */
  role: string;
  password: string;
  /**
   * Tables of the schema the role may only read and append to: SELECT and INSERT, nothing else. The
   * owner keeps them, so the role can neither disable their triggers, alter nor drop them.
   */
  appendOnlyTables?: string[];
}

/**
 * Creates the service's login role (or sets its password) and grants it the use of one schema, nothing
 * else: CONNECT on the database, USAGE on the schema, SELECT, INSERT, UPDATE and DELETE on its tables
 * (SELECT and INSERT only on the append-only ones), USAGE and SELECT on its sequences, MAINTAIN on the
 * outbox queue its relay vacuums (PostgreSQL 17 and later). Run as the schemas' owner, after the
 * migrations; it can be run again after every migration (a role may use several schemas: the one-process
 * deployment's does).
 */
export async function grantServiceRole(grant: ServiceRoleGrant): Promise<void> {
  const client = new Client({ connectionString: grant.url });
  await client.connect();
  try {
    const role = client.escapeIdentifier(grant.role);
    const schema = client.escapeIdentifier(grant.schema);
    const existing = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [grant.role]);
    const verb = existing.rowCount === 0 ? 'CREATE' : 'ALTER';
    await client.query(`${verb} ROLE ${role} WITH LOGIN PASSWORD ${client.escapeLiteral(grant.password)}`);
    const server = await client.query<{ database: string; version: number }>(
      `SELECT current_database() AS database, current_setting('server_version_num')::int AS version`,
    );
    const { database, version } = server.rows[0];
    await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database)} TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
    const queue = `${schema}.outbox_pending`;
    const present = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [queue]);
    // MAINTAIN exists from PostgreSQL 17; on older servers the relay's vacuum is skipped with a warning.
    if (version >= 170000 && present.rows[0].present) {
      await client.query(`GRANT MAINTAIN ON TABLE ${queue} TO ${role}`);
    }
    for (const name of grant.appendOnlyTables ?? []) await appendOnly(client, grant, name);
  } finally {
    await client.end();
  }
}

/** Leaves the role SELECT and INSERT on the table, which someone else owns. */
async function appendOnly(client: Client, grant: ServiceRoleGrant, name: string): Promise<void> {
  const table = `${client.escapeIdentifier(grant.schema)}.${client.escapeIdentifier(name)}`;
  const found = await client.query<{ owner: string }>(
    `SELECT pg_get_userbyid(c.relowner) AS owner FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [table],
  );
  if (found.rowCount === 0) return;
  if (found.rows[0].owner === grant.role) {
    // made by the service itself (it migrated its own schema before): the owner running this takes it
    try {
      await client.query(`ALTER TABLE ${table} OWNER TO CURRENT_USER`);
    } catch (error) {
      throw new ConfigurationError(
        `${grant.schema}.${name} belongs to ${grant.role}, which could then change it: run ` +
          `\`ALTER TABLE ${table} OWNER TO <the owner of the schema>\` as a superuser (${(error as Error).message})`,
      );
    }
  }
  await client.query(`REVOKE ALL ON TABLE ${table} FROM ${client.escapeIdentifier(grant.role)}`);
  await client.query(`GRANT SELECT, INSERT ON TABLE ${table} TO ${client.escapeIdentifier(grant.role)}`);
}
