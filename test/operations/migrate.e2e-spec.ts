import { spawnSync } from 'node:child_process';
import { freePort } from '@jrp/database';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiClient, cleanUp, ServiceProcess, waitFor } from '@jrp/testing';
import { FEEDBACK_MIGRATIONS } from '../../apps/feedback/src/feedback.migrations';
import { COURT, courtEntry, RAILWAY } from '../scenarios/loop.scenario';
import { serviceDeployment } from './support/services';

const ROOT = join(__dirname, '..', '..');
const SERVICES = ['list-ingestion', 'measures', 'feedback'] as const;

/**
 * `npm run migrate` and JRP_MIGRATE=false, the rolling-upgrade path: the migrate command runs every
 * service's migrations as the owner and gives each service a role of its own; the services, started
 * with JRP_MIGRATE=false as those roles, refuse an unmigrated schema and run the loop on a migrated one,
 * each role reaching its own schema only.
 */
describe('migrate command and per-service roles', () => {
  const deployment = serviceDeployment('mig', { JRP_MIGRATE: 'false' });
  const { env, prefix, logs } = deployment;
  const owner = env.DATABASE_URL!;
  const role = (service: string) => `jrp_${prefix}${service.replace(/-/g, '_')}`;
  const password = (service: string) => `pw-${service}-${prefix}`.padEnd(24, 'x');
  /** The service's URL without its password (given apart, as DATABASE_PASSWORD) or with it. */
  const roleUrl = (service: string, withPassword = false) => {
    const url = new URL(owner);
    url.username = role(service);
    url.password = withPassword ? encodeURIComponent(password(service)) : '';
    return url.toString();
  };
  const passwordFiles = Object.fromEntries(
    SERVICES.map((service) => {
      const file = join(logs, `${service}-db-password`);
      writeFileSync(file, `${password(service)}\n`, { mode: 0o600 });
      return [`JRP_${service.replace(/-/g, '_').toUpperCase()}_DB_PASSWORD_FILE`, file];
    }),
  );
  const migrate = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'dist', 'tools', 'migrate', 'cli.js'), ...args], {
      env: { PATH: process.env.PATH, DATABASE_URL: owner, JRP_DB_SCHEMA_PREFIX: prefix, ...passwordFiles },
      encoding: 'utf8',
      timeout: 120000,
    });
  const asRole = async <T>(service: string, work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: roleUrl(service, true) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const denied = (service: string, sql: string) =>
    asRole(service, (client) => client.query(sql)).then(
      () => 'allowed',
      (error: Error) => error.message,
    );

  // as in production: only measures signs tokens, feedback holds no data keys; each service its own role
  const signingDer = Buffer.from(env.JRP_TOKEN_SIGNING_KEY!, 'base64');
  const signingKey = createPrivateKey({ key: signingDer, format: 'der', type: 'pkcs8' });
  const verifyKey = createPublicKey(signingKey).export({ format: 'der', type: 'spki' }).toString('base64');
  const asService = (service: string, extra: NodeJS.ProcessEnv = {}) =>
    new ServiceProcess(
      `apps/${service}/src/main.js`,
      { ...env, DATABASE_URL: roleUrl(service), DATABASE_PASSWORD: password(service), ...extra },
      join(logs, `${service}.log`),
    );
  const services = {
    listIngestion: asService('list-ingestion', { JRP_TOKEN_SIGNING_KEY: undefined, JRP_TOKEN_VERIFY_KEY: verifyKey }),
    measures: asService('measures'),
    feedback: asService('feedback', {
      JRP_TOKEN_SIGNING_KEY: undefined,
      JRP_TOKEN_VERIFY_KEY: verifyKey,
      JRP_DATA_KEYS: undefined,
    }),
  };

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.kill('SIGTERM')));
    await cleanUp(env);
    const client = new Client({ connectionString: owner });
    await client.connect();
    for (const service of SERVICES) {
      const exists = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role(service)]);
      if (exists.rowCount) await client.query(`DROP OWNED BY "${role(service)}"; DROP ROLE "${role(service)}"`);
    }
    await client.end();
  });

  it('a service told not to migrate refuses a schema whose migrations did not run, saying what to do', async () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', 'feedback', 'src', 'main.js')], {
      env: { PATH: process.env.PATH, ...env, PORT: String(await freePort()) },
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`schema ${prefix}feedback lacks ${FEEDBACK_MIGRATIONS.length} migration(s) (`);
    expect(run.stderr).toContain('and JRP_MIGRATE is false: run `npm run migrate`');
    const client = new Client({ connectionString: owner });
    await client.connect();
    const created = await client
      .query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`${prefix}feedback`])
      .finally(() => client.end());
    expect(created.rowCount).toBe(0); // nor did it create the schema
  });

  it('runs every service migration once, prints what it applied, and creates the roles', () => {
    const first = migrate();
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    const listIngestion = `^list-ingestion \\(schema ${prefix}list_ingestion\\): applied MessagingTables1764300000000`;
    expect(lines[0]).toMatch(new RegExp(`${listIngestion}.*ListEntries1764300000101`));
    expect(lines[1]).toBe(`list-ingestion: role ${role('list-ingestion')} may use schema ${prefix}list_ingestion`);
    expect(lines[2]).toMatch(/^measures \(schema .*\): applied .*SeedCatalogue1764300000003/);
    expect(lines[4]).toMatch(/^feedback \(schema .*\): applied .*Feedback1764300000201/);
    const again = migrate('--service', 'measures');
    expect(again.status).toBe(0);
    expect(again.stdout.trim().split('\n')).toEqual([
      `measures (schema ${prefix}measures): up to date`,
      `measures: role ${role('measures')} may use schema ${prefix}measures`,
    ]);
    const wrong = migrate('--service', 'billing');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('unknown service billing (list-ingestion, measures, feedback)');
  });

  it('each role reaches its own schema only: rows yes, DDL and other schemas no', async () => {
    const organizations = (client: Client) =>
      client.query(`SELECT count(*)::int AS n FROM "${prefix}measures".organizations`);
    expect((await asRole('measures', organizations)).rows[0].n).toBeGreaterThan(0);
    const foreign = `SELECT 1 FROM "${prefix}list_ingestion".list_entries`;
    expect(await denied('measures', foreign)).toMatch(/permission denied for schema/);
    expect(await denied('feedback', `SELECT 1 FROM "${prefix}measures".tasks`)).toMatch(/permission denied for schema/);
    const create = `CREATE TABLE "${prefix}list_ingestion".intruder (id int)`;
    expect(await denied('list-ingestion', create)).toMatch(/permission denied for schema/);
    const drop = `DROP TABLE "${prefix}list_ingestion".list_entries`;
    expect(await denied('list-ingestion', drop)).toMatch(/must be owner/);
    // MAINTAIN (the relay vacuums its queue) exists from PostgreSQL 17: the tool grants it there, and only there
    const server = await asRole('measures', (client) =>
      client.query<{ version: number }>(`SELECT current_setting('server_version_num')::int AS version`),
    );
    const privilege = server.rows[0].version >= 170000 ? 'MAINTAIN' : 'DELETE';
    const allowed = await asRole('measures', (client) =>
      client.query(`SELECT has_table_privilege(current_user, $1, $2) AS allowed`, [
        `"${prefix}measures".outbox_pending`,
        privilege,
      ]),
    );
    expect(allowed.rows[0].allowed).toBe(true);
  });

  it('the three services run the loop as their roles with JRP_MIGRATE=false', async () => {
    await Promise.all(Object.values(services).map((s) => s.start()));
    const admin = new ApiClient(services.measures.url, env.JRP_ADMIN_TOKEN!);
    const court = await admin.tokenOf(COURT);
    const railway = await admin.tokenOf(RAILWAY);
    await waitFor(
      'list types known to list-ingestion',
      async () => {
        const res = await fetch(`${services.listIngestion.url}/api/v1/lists/entries`, {
          method: 'POST',
          headers: { authorization: `Bearer ${court}`, 'content-type': 'application/json' },
          body: JSON.stringify(courtEntry(91001)),
        });
        return res.status === 201;
      },
      30000,
    );
    const feed = await waitFor(
      'the railway task dispatched by measures',
      async () => {
        const headers = { authorization: `Bearer ${railway}` };
        const res = await fetch(`${services.measures.url}/api/v1/tasks/feed`, { headers });
        const body = (await res.json()) as { items: { type: string; task: { id: string } }[] };
        return body.items.length > 0 ? body.items : undefined;
      },
      30000,
    );
    expect(feed[0].type).toBe('dispatched');
    const copied = (client: Client) =>
      client.query(`SELECT organization FROM "${prefix}feedback".known_tasks WHERE id = $1`, [feed[0].task.id]);
    const copiedOnce = async () => (await asRole('feedback', copied)).rows[0]?.organization === RAILWAY;
    await waitFor('feedback keeps its copy of the task', copiedOnce, 30000);
  });
});
