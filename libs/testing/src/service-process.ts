import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort } from '@jrp/database';
import { waitFor } from './wait-for';

/** The repository's root: the nearest folder above this file with a package.json (from src/ or dist/). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const ROOT = repositoryRoot();

/**
 * A jrp entry point run as its own process from the build (dist/), as an operator would run it.
 * `kill('SIGKILL')` is a crash: nothing gets to clean up.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  port = 0;
  /** How the last run ended: its exit code (null when a signal ended it) and that signal. */
  lastExit?: { code: number | null; signal: NodeJS.Signals | null };

  constructor(
    readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    /** Extra options for node itself, e.g. `--cpu-prof` for a profile of the service. */
    private readonly nodeArgs: string[] = [],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const main = join(ROOT, 'dist', this.entry);
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    this.port = this.port || (await freePort());
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...this.nodeArgs, main], {
      env: Object.fromEntries(
        Object.entries({ PATH: process.env.PATH, ...this.env, PORT: String(this.port) }).filter(
          ([, v]) => v !== undefined,
        ),
      ),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    let exited = false;
    this.lastExit = undefined;
    child.once('exit', (code, signal) => {
      exited = true;
      this.lastExit = { code, signal };
    });
    await waitFor(
      `${this.entry} healthy on port ${this.port} (log: ${this.logFile})`,
      async () => {
        if (exited) throw new Error(`${this.entry} exited during start-up; see ${this.logFile}`);
        const res = await fetch(`${this.url}/health`).catch(() => undefined);
        return res?.status === 200;
      },
      60000,
      100,
    );
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }
}
