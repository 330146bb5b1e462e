import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, startEmbeddedPostgres } from '@jrp/database';
import { ApiClient, ServiceProcess, waitFor } from '@jrp/testing';
import { COURT, courtEntry } from '../scenarios/loop.scenario';

/** This machine's addresses other than loopback (none on a machine without a network). */
const otherAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);

/** Whether anything answers HTTP at `url` (a refused or unroutable connection: no). */
const answers = async (url: string) =>
  (await fetch(url, { signal: AbortSignal.timeout(3000) }).catch(() => undefined)) !== undefined;

interface Secrets {
  databasePassword?: string;
  databaseServicePassword?: string;
  [name: string]: string | undefined;
}

/**
 * `npm start` as an operator runs it (the build, no DATABASE_URL: its own PostgreSQL): it binds JRP_HOST
 * (127.0.0.1 by default), serves /metrics on JRP_OPS_PORT when set, and its PostgreSQL's superuser has a
 * password generated on the first start and kept in JRP_DATA_DIR/secrets.json, while the services
 * connect as a role that can neither change nor remove the audit trail.
 */
describe('npm start: its network edges and its own PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jrp-edges-'));
  chmodSync(dataDir, 0o755); // as root, the `postgres` user keeps its data inside
  const logFile = join(dataDir, 'standalone.log');
  const adminToken = 'edges-admin-token-0123456789abcdef';
  let service: ServiceProcess;
  let opsPort: number;
  const secrets = () => JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Secrets;
  const log = () => readFileSync(logFile, 'utf8');
  const postgresPort = () => Number([...log().matchAll(/embedded PostgreSQL on 127\.0\.0\.1:(\d+)/g)].pop()![1]);
  const connect = async (user: string, password: string) => {
    const client = new Client({ host: '127.0.0.1', port: postgresPort(), user, password, database: 'jrp' });
    await client.connect();
    return client;
  };
  const loginError = (user: string, password: string) =>
    connect(user, password).then(
      async (client) => {
        await client.end();
        return 'accepted';
      },
      (error: Error) => error.message,
    );

  beforeAll(async () => {
    opsPort = await freePort();
    service = new ServiceProcess(
      'apps/standalone/src/main.js',
      {
        JRP_DATA_DIR: dataDir,
        JRP_ADMIN_TOKEN: adminToken,
        JRP_DEMO_SEED: 'false',
        JRP_OPS_PORT: String(opsPort),
        LOG_LEVEL: 'log',
      },
      logFile,
    );
    await service.start();
  }, 120000);

  afterAll(async () => {
    await service?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 by default, says so, and answers on no other address of the machine', async () => {
    expect(log()).toContain(`jrp is listening on 127.0.0.1:${service.port} only`);
    expect(log()).toContain(`operator endpoints on 127.0.0.1:${opsPort} only`);
    expect(await answers(`${service.url}/health`)).toBe(true);
    const others = otherAddresses();
    process.stdout.write(`addresses other than loopback: ${others.join(', ') || 'none'}\n`);
    for (const address of others) {
      expect(await answers(`http://${address}:${service.port}/health`)).toBe(false);
      expect(await answers(`http://${address}:${opsPort}/metrics`)).toBe(false);
    }
  });

  it('serves /metrics on JRP_OPS_PORT, and no longer on the API port', async () => {
    const metrics = await fetch(`http://127.0.0.1:${opsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('jrp_http_request_duration_seconds');
    expect((await fetch(`http://127.0.0.1:${opsPort}/health/ready`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${opsPort}/api/v1/catalogue/list-types`)).status).toBe(404);
    expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200); // the probes stay where they were
  });

  it('gives its PostgreSQL a random superuser password, kept in secrets.json, and refuses the old fixed one', async () => {
    const { databasePassword, databaseServicePassword } = secrets();
    expect(databasePassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(databaseServicePassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await loginError('postgres', 'jrp-embedded')).toMatch(/password authentication failed/);
    expect(await loginError('postgres', databasePassword!)).toBe('accepted');
    expect(log()).not.toContain(databasePassword!);
    expect(log()).not.toContain(databaseServicePassword!);
  });

  it('runs its services as a role that can append to the audit trail but neither change, remove nor unguard it', async () => {
    const owner = await connect('postgres', secrets().databasePassword!);
    const role = await owner
      .query<{ rolsuper: boolean; rolname: string }>(
        `SELECT r.rolname, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
         WHERE a.application_name = 'jrp-measures' LIMIT 1`,
      )
      .finally(() => owner.end());
    expect(role.rows[0]).toEqual({ rolname: 'jrp_standalone', rolsuper: false });
    const services = await connect('jrp_standalone', secrets().databaseServicePassword!);
    const refused = (sql: string) =>
      services.query(sql).then(
        () => 'allowed',
        (error: Error) => error.message,
      );
    try {
      await services.query('SET search_path = measures');
      expect(await refused(`SELECT count(*) FROM audit_trail`)).toBe('allowed');
      expect(await refused(`UPDATE audit_trail SET action = 'x'`)).toMatch(/permission denied/);
      expect(await refused(`DELETE FROM audit_trail`)).toMatch(/permission denied/);
      expect(await refused(`TRUNCATE audit_trail`)).toMatch(/permission denied/);
      expect(await refused(`ALTER TABLE audit_trail DISABLE TRIGGER ALL`)).toMatch(/must be owner/);
      expect(await refused(`DROP TABLE audit_trail`)).toMatch(/must be owner/);
      expect(await refused(`CREATE TABLE intruder (id int)`)).toMatch(/permission denied for schema/);
    } finally {
      await services.end();
    }
    // and the application works as that role: a write and its audit record
    const court = await new ApiClient(service.url, adminToken).as(COURT);
    await waitFor(
      'an entry published (once list-ingestion knows the catalogue)',
      async () => (await court.post('/api/v1/lists/entries', courtEntry(17501))).status === 201,
      30000,
    );
  });

  it('keeps the password across a restart', async () => {
    const before = secrets();
    await service.kill('SIGTERM');
    await service.start();
    expect(secrets()).toEqual(before);
    expect(await loginError('postgres', before.databasePassword!)).toBe('accepted');
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
  }, 120000);

  it('gives a PostgreSQL made before passwords were generated (the fixed one) a generated one at its next start', async () => {
    const before = secrets();
    await service.kill('SIGTERM');
    // as an earlier version left it: the fixed password, and no database password in secrets.json
    const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), password: before.databasePassword });
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    await client.query(`ALTER ROLE postgres PASSWORD 'jrp-embedded'`);
    await client.end();
    await postgres.stop();
    const { databasePassword: _superuser, databaseServicePassword: _services, ...others } = before;
    writeFileSync(join(dataDir, 'secrets.json'), JSON.stringify(others));

    await service.start();
    const after = secrets();
    expect(after.databasePassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(after.databasePassword).not.toBe(before.databasePassword);
    expect(log()).toContain('the embedded PostgreSQL had the fixed superuser password of earlier versions');
    expect(await loginError('postgres', 'jrp-embedded')).toMatch(/password authentication failed/);
    expect(await loginError('postgres', after.databasePassword!)).toBe('accepted');
    expect(await loginError('jrp_standalone', after.databaseServicePassword!)).toBe('accepted');
    const court = await new ApiClient(service.url, adminToken).as(COURT);
    await waitFor(
      'publishing works again',
      async () => (await court.get('/api/v1/catalogue/list-types')).status === 200,
    );
  }, 120000);
});
