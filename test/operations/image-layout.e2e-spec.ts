import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@jrp/database';
import { makeUscc, waitFor, IMPORT_HEADERS } from '@jrp/testing';

const ROOT = join(__dirname, '..', '..');
const TEST_USER = 'jrp-image-test';
const HEADERS = IMPORT_HEADERS;

const run = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error?.message}`);
  return result.stdout.trim();
};
const isRoot = process.getuid?.() === 0;

/** The unprivileged user the image's processes run as: a system user made for the test as root, else the caller. */
function unprivilegedUser(): { uid: number; gid: number } {
  if (!isRoot) return { uid: process.getuid!(), gid: process.getgid!() };
  if (spawnSync('id', ['-u', TEST_USER]).status !== 0) {
    run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', TEST_USER]);
  }
  return { uid: Number(run('id', ['-u', TEST_USER])), gid: Number(run('id', ['-g', TEST_USER])) };
}

/**
 * The Docker image's file layout without Docker: the final stage's /app (dist, package.json,
 * node_modules) read-only, the process an unprivileged user, JRP_DATA_DIR its only writable folder.
 * The one-process deployment (embedded PostgreSQL in JRP_DATA_DIR/pg) publishes an import, stops on
 * SIGTERM, starts again and still has the entry and the import job; nothing was written in /app.
 */
describe('the image layout: a read-only application, an unprivileged user, data in JRP_DATA_DIR', () => {
  let base: string;
  let app: string;
  let data: string;
  let temp: string;
  let marker: string;
  let user: { uid: number; gid: number };
  let child: ChildProcess | undefined;
  let port = 0;
  const logs: string[] = [];
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;

  beforeAll(() => {
    user = unprivilegedUser();
    // outside any mode-700 folder, so that the user can reach it (mkdtemp makes its folder 0700)
    base = mkdtempSync(join(tmpdir(), 'jrp-image-'));
    chmodSync(base, 0o755);
    app = join(base, 'app');
    mkdirSync(app);
    copyFileSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    run('cp', ['-a', join(ROOT, 'dist'), join(app, 'dist')]);
    const modules = realpathSync(join(ROOT, 'node_modules'));
    // hard links when root: the files stay root's (the user cannot write them) and nothing is copied
    const linked = isRoot && spawnSync('cp', ['-al', modules, join(app, 'node_modules')]).status === 0;
    if (!linked) {
      rmSync(join(app, 'node_modules'), { recursive: true, force: true });
      run('cp', ['-a', modules, join(app, 'node_modules')]);
    }
    // read-only: every folder (a linked file's mode is its original's, so those are left as they are)
    if (linked) {
      run('chmod', ['-R', 'a-w', join(app, 'dist'), join(app, 'package.json')]);
      run('find', [app, '-type', 'd', '-exec', 'chmod', 'a-w', '{}', '+']);
    } else {
      run('chmod', ['-R', 'a-w', app]);
    }
    data = join(base, 'data');
    temp = join(base, 'tmp'); // the container's own /tmp
    for (const folder of [data, temp]) {
      mkdirSync(folder, { mode: 0o700 });
      chownSync(folder, user.uid, user.gid);
    }
    marker = join(base, 'before-start');
    writeFileSync(marker, '');
  }, 300000);

  afterAll(async () => {
    await stop();
    if (base) {
      if (!isRoot) spawnSync('chmod', ['-R', 'u+w', base]);
      rmSync(base, { recursive: true, force: true });
    }
  });

  async function start(): Promise<void> {
    port = await freePort();
    child = spawn(process.execPath, [join(app, 'dist', 'apps', 'standalone', 'src', 'main.js')], {
      cwd: app,
      uid: user.uid,
      gid: user.gid,
      env: {
        PATH: process.env.PATH,
        HOME: data,
        TMPDIR: temp,
        NODE_ENV: 'production',
        JRP_DATA_DIR: data,
        PORT: String(port),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => logs.push(String(chunk)));
    child.stderr!.on('data', (chunk) => logs.push(String(chunk)));
    const running = child;
    await waitFor(
      'the standalone service ready',
      async () => {
        if (running.exitCode !== null)
          throw new Error(`exited with ${running.exitCode}: ${logs.join('').slice(-2000)}`);
        return (await fetch(url('/health/ready')).catch(() => undefined))?.status === 200;
      },
      90000,
      200,
    );
  }

  async function stop(): Promise<number | null> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return running?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => running.once('exit', (code) => resolve(code)));
    running.kill('SIGTERM');
    return exited;
  }

  const token = (code: string): string => JSON.parse(readFileSync(join(data, 'demo-tokens.json'), 'utf8'))[code].token;
  const get = async (path: string, code: string) => {
    const res = await fetch(url(path), { headers: { authorization: `Bearer ${token(code)}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('cannot be written by the user it runs as', () => {
    const write = `require('fs').writeFileSync(${JSON.stringify(join(app, 'dist', 'probe'))}, 'x')`;
    const probe = spawnSync(process.execPath, ['-e', write], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toMatch(/EACCES/);
    expect(user.uid).not.toBe(0);
  });

  it('publishes an import, restarts on SIGTERM, keeps the entry and the job; writes nothing in /app', async () => {
    await start();
    expect(existsSync(join(data, 'pg', 'PG_VERSION'))).toBe(true);
    const name = '镜像布局测试有限公司';
    const row = [
      '失信被执行人名单',
      '法人',
      name,
      makeUscc(97001),
      '',
      '',
      '',
      '',
      '拒不履行',
      '合肥中院',
      '市级',
      'IMG-1',
    ];
    row.push('2026-11-01', '', '340100');
    const csv = [HEADERS, row].map((row) => row.join(',')).join('\r\n');
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(csv, 'utf8')], { type: 'text/csv' }), 'names.csv');
    const upload = await fetch(url('/api/v1/lists/imports'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token('AH-COURT')}` },
      body: form,
    });
    expect(upload.status).toBe(202);
    const { id } = (await upload.json()) as { id: string };
    const job = await waitFor(
      'the import done',
      async () => {
        const res = await get(`/api/v1/lists/imports/${id}`, 'AH-COURT');
        return res.body.status === 'done' || res.body.status === 'failed' ? res.body : undefined;
      },
      30000,
    );
    expect(job).toMatchObject({ status: 'done', total: 1, created: 1, rejected: 0 });
    // the upload was kept in JRP_DATA_DIR until its job ran, then removed; the folder keeps only its id
    expect(readdirSync(join(data, 'imports'))).toEqual(['.folder-id']);
    const found = await get(`/api/v1/lists/entries?q=${encodeURIComponent(name)}`, 'AH-CREDIT-OFFICE');
    const entry = (found.body.items as { id: string }[])[0];
    expect(entry).toBeDefined();

    expect(await stop()).toBe(0);
    await start();

    const again = await get(`/api/v1/lists/entries/${entry.id}`, 'AH-COURT');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: entry.id, subject: { name } });
    const jobAgain = await get(`/api/v1/lists/imports/${id}`, 'AH-COURT');
    expect(jobAgain.body).toMatchObject({ id, status: 'done', created: 1 });
    expect(await stop()).toBe(0);

    // nothing in the application folder is newer than the moment before the first start
    expect(run('find', [app, '-newer', marker])).toBe('');
    const kept = ['demo-tokens.json', 'imports', 'pg', 'secrets.json'];
    expect(readdirSync(data).sort()).toEqual(expect.arrayContaining(kept));
  });
});
