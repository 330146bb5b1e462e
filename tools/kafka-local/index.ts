/**
 * tools/kafka-local: start a real single-node Apache Kafka broker (combined
 * KRaft broker+controller) without Docker, for local runs and integration tests.
 *
 * The broker jars come from Maven Central through ./pom.xml (resolve-only
 * project) and are cached under $JRP_KAFKA_CACHE/<version>/libs
 * (default ~/.cache/jrp/kafka/<version>/libs). Requires Java 17+ and Maven.
 *
 * Node built-ins only (child_process, net, fs, path, os, crypto): this file must
 * compile with tsc under "module": "commonjs", "target": "ES2022", "strict": true
 * and must not pull npm dependencies.
 */
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export interface LocalKafka {
  /** bootstrap servers, e.g. "127.0.0.1:40123" */
  brokers: string;
  /** Kafka version of the running broker (the one the pom resolves) */
  version: string;
  /** JVM pid; it is also the id of the JVM's own process group */
  pid: number;
  /** directory holding server.properties, kafka.pid, kraft-logs/ and logs/ */
  dataDir: string;
  /** PLAINTEXT port on 127.0.0.1 (same as in `brokers`) */
  port: number;
  /** broker log file (log4j2), <dataDir>/logs/server.log */
  logFile: string;
  /** SIGTERM the JVM's process group, SIGKILL after 20 s; idempotent */
  stop(): Promise<void>;
}

export interface StartLocalKafkaOptions {
  /** where to keep config, data and logs; default: a fresh temp dir (removed by stop()) */
  dataDir?: string | undefined;
  /** PLAINTEXT port on 127.0.0.1; default: a free port */
  port?: number | undefined;
  /** receives progress lines ("[kafka-local] ...") and the broker's log lines */
  log?: ((line: string) => void) | undefined;
}

/** process.env lookup (bracket access keeps stricter tsconfigs happy) */
function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

const INSTALL_HINT = 'Java 17+ (apt-get install openjdk-17-jre-headless) and Maven, or set KAFKA_BROKERS';
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 20_000;
const FETCH_TIMEOUT_MS = 15 * 60_000;
const LOCK_STALE_MS = 20 * 60_000;
// KafkaRaftServer logs this only once every acceptor is bound ("BrokerServer ...
// Transition from STARTING to STARTED" comes earlier, even when a bind failed).
const STARTED_RE = /\[KafkaRaftServer nodeId=\d+\] Kafka Server started/;
const FATAL_RE = /Socket server failed to bind|Exiting Kafka due to fatal exception|\] FATAL /;

// ---------------------------------------------------------------------------
// locating pom.xml / log4j2.xml (works from the .ts sources and from a tsc
// output dir such as dist/tools/kafka-local, which has no pom.xml)
// ---------------------------------------------------------------------------

let toolDirCache: string | undefined;

function toolDir(): string {
  if (toolDirCache) return toolDirCache;
  const candidates: string[] = [];
  const fromEnv = env('JRP_KAFKA_TOOL_DIR');
  if (fromEnv) candidates.push(fromEnv);
  candidates.push(__dirname);
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      candidates.push(path.join(dir, 'tools', 'kafka-local'));
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, 'pom.xml')) && fs.existsSync(path.join(c, 'log4j2.xml'))) {
      toolDirCache = path.resolve(c);
      return toolDirCache;
    }
  }
  throw new Error(
    `kafka-local: cannot find tools/kafka-local/pom.xml (looked from ${__dirname} and ${process.cwd()}); ` +
      'set JRP_KAFKA_TOOL_DIR to the folder holding pom.xml and log4j2.xml',
  );
}

let versionCache: string | undefined;

/** The Kafka version that tools/kafka-local/pom.xml resolves (<kafka.version>). */
export function kafkaVersion(): string {
  if (versionCache) return versionCache;
  const pom = fs.readFileSync(path.join(toolDir(), 'pom.xml'), 'utf8');
  const m = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!m) throw new Error('kafka-local: <kafka.version> not found in tools/kafka-local/pom.xml');
  versionCache = m[1] ?? '';
  return versionCache;
}

// ---------------------------------------------------------------------------
// Java check
// ---------------------------------------------------------------------------

function javaBin(): string {
  const home = env('JAVA_HOME');
  if (home) {
    const bin = path.join(home, 'bin', 'java');
    if (fs.existsSync(bin)) return bin;
  }
  return 'java';
}

function checkJava(java: string): number {
  const r = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit code ${r.status}`;
    throw new Error(`kafka-local: cannot run "${java} -version" (${why}). Install ${INSTALL_HINT}.`);
  }
  const out = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  if (!m)
    throw new Error(`kafka-local: cannot parse "${java} -version" output: ${out.trim()}. Install ${INSTALL_HINT}.`);
  let major = Number(m[1] ?? 0);
  if (major === 1 && m[2]) major = Number(m[2]); // 1.8 => 8
  if (major < 17) {
    throw new Error(`kafka-local: found Java ${major} (${java}), Kafka needs 17+. Install ${INSTALL_HINT}.`);
  }
  return major;
}

// ---------------------------------------------------------------------------
// jar cache (mvn dependency:copy-dependencies), with a lock dir + marker file
// ---------------------------------------------------------------------------

function cacheRoot(): string {
  return env('JRP_KAFKA_CACHE') || path.join(os.homedir(), '.cache', 'jrp', 'kafka');
}

const MARKER = '.complete.json';

function libsComplete(libsDir: string, version: string): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(libsDir, MARKER), 'utf8')) as {
      version?: string;
      jars?: string[];
    };
    if (marker.version !== version || !Array.isArray(marker.jars) || marker.jars.length === 0) return false;
    return marker.jars.every((j) => {
      try {
        return fs.statSync(path.join(libsDir, j)).size > 0;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wait for p, at most ms; the timer is cleared so it never holds the event loop open. */
function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(() => undefined),
    new Promise<void>((r) => {
      timer = setTimeout(r, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function lockIsStale(lockDir: string): boolean {
  try {
    const st = fs.statSync(lockDir);
    const age = Date.now() - st.mtimeMs;
    if (age > LOCK_STALE_MS) return true;
    let owner: { pid?: number; host?: string } | undefined;
    try {
      owner = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8')) as { pid?: number; host?: string };
    } catch {
      owner = undefined;
    }
    if (!owner || typeof owner.pid !== 'number') return age > 60_000; // owner file not written yet
    if (owner.host && owner.host !== os.hostname()) return false;
    return !pidAlive(owner.pid);
  } catch {
    return false; // vanished meanwhile: not stale, just retry
  }
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (b: Buffer) => {
      output += b.toString('utf8');
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const timer = setTimeout(() => {
      output += `\n[kafka-local] ${cmd} timed out after ${opts.timeoutMs} ms, killing it\n`;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function tail(text: string, lines: number): string {
  return text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .slice(-lines)
    .join('\n');
}

/**
 * Make sure the broker jars for kafkaVersion() are in the cache; runs mvn only
 * when the cache folder is missing or incomplete. Returns the libs directory.
 */
export async function fetchKafkaJars(log: (line: string) => void = () => undefined): Promise<string> {
  const version = kafkaVersion();
  const versionDir = path.join(cacheRoot(), version);
  const libsDir = path.join(versionDir, 'libs');
  if (libsComplete(libsDir, version)) return libsDir;

  fs.mkdirSync(versionDir, { recursive: true });
  const lockDir = path.join(versionDir, '.lock');
  const deadline = Date.now() + FETCH_TIMEOUT_MS;
  let announcedWait = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(
        path.join(lockDir, 'owner.json'),
        JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }),
      );
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (libsComplete(libsDir, version)) return libsDir;
    if (lockIsStale(lockDir)) {
      log(`[kafka-local] removing stale lock ${lockDir}`);
      const trash = `${lockDir}.stale-${process.pid}-${Date.now()}`;
      try {
        fs.renameSync(lockDir, trash);
        fs.rmSync(trash, { recursive: true, force: true });
      } catch {
        /* someone else took care of it */
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`kafka-local: timed out waiting for the fetch lock ${lockDir}`);
    if (!announcedWait) {
      log(`[kafka-local] another process is fetching Kafka ${version} jars, waiting (${lockDir})`);
      announcedWait = true;
    }
    await sleep(500);
  }

  try {
    if (libsComplete(libsDir, version)) return libsDir;
    // leftovers of fetches killed midway (we hold the lock, so none is in progress)
    for (const f of fs.readdirSync(versionDir)) {
      if (f.startsWith('libs.tmp-') || f.startsWith('.lock.stale-')) {
        fs.rmSync(path.join(versionDir, f), { recursive: true, force: true });
      }
    }
    const tmpDir = path.join(versionDir, `libs.tmp-${process.pid}-${Date.now()}`);
    fs.rmSync(tmpDir, { recursive: true, force: true });
    const pom = path.join(toolDir(), 'pom.xml');
    const args = [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      pom,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${tmpDir}`,
    ];
    log(`[kafka-local] fetching Kafka ${version} jars: mvn ${args.join(' ')}`);
    const t0 = Date.now();
    let res: { code: number | null; output: string };
    try {
      res = await run(env('JRP_MVN') || 'mvn', args, { cwd: toolDir(), timeoutMs: FETCH_TIMEOUT_MS });
    } catch (e) {
      throw new Error(`kafka-local: cannot run mvn (${(e as Error).message}). Install ${INSTALL_HINT}.`, { cause: e });
    }
    const jars = fs.existsSync(tmpDir)
      ? fs
          .readdirSync(tmpDir)
          .filter((f) => f.endsWith('.jar'))
          .sort()
      : [];
    if (res.code !== 0 || !jars.some((j) => j.startsWith(`kafka_2.13-${version}`))) {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      throw new Error(
        `kafka-local: mvn could not fetch Kafka ${version} (exit code ${res.code}). ` +
          `Needs Maven and access to Maven Central.\n${tail(res.output, 40)}`,
      );
    }
    fs.writeFileSync(path.join(tmpDir, MARKER), JSON.stringify({ version, jars, fetchedAt: new Date().toISOString() }));
    if (fs.existsSync(libsDir)) {
      if (libsComplete(libsDir, version)) {
        fs.rmSync(tmpDir, { recursive: true, force: true });
        return libsDir;
      }
      fs.rmSync(libsDir, { recursive: true, force: true });
    }
    fs.renameSync(tmpDir, libsDir);
    log(`[kafka-local] fetched ${jars.length} jars into ${libsDir} in ${Date.now() - t0} ms`);
    return libsDir;
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// ports, config
// ---------------------------------------------------------------------------

function listenFree(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve(srv));
  });
}

async function freePorts(count: number, exclude: number[]): Promise<number[]> {
  const servers: net.Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const srv = await listenFree();
      servers.push(srv);
      const port = (srv.address() as net.AddressInfo).port;
      if (!exclude.includes(port)) ports.push(port);
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
  return ports;
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(`kafka-local: port 127.0.0.1:${port} is not free (${e.code ?? e.message})`)),
    );
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => srv.close(() => resolve()));
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.removeAllListeners();
      sock.on('error', () => undefined);
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function serverProperties(p: { port: number; controllerPort: number; logDirs: string }): string {
  const props: Array<[string, string | number | boolean]> = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@127.0.0.1:${p.controllerPort}`],
    ['listeners', `PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://127.0.0.1:${p.port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['listener.security.protocol.map', 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT'],
    ['log.dirs', p.logDirs],
    // topics: the app creates its own topics explicitly; auto-create stays on
    ['auto.create.topics.enable', true],
    ['num.partitions', 3],
    ['default.replication.factor', 1],
    ['min.insync.replicas', 1],
    ['delete.topic.enable', true],
    // single-node internal topics
    ['offsets.topic.replication.factor', 1],
    ['offsets.topic.num.partitions', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['transaction.state.log.num.partitions', 1],
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    ['group.initial.rebalance.delay.ms', 0],
    // small machine: fewer threads, smaller cleaner buffer (default 128 MB)
    ['num.network.threads', 2],
    ['num.io.threads', 4],
    ['background.threads', 4],
    ['num.recovery.threads.per.data.dir', 1],
    ['log.cleaner.threads', 1],
    ['log.cleaner.dedupe.buffer.size', 16 * 1024 * 1024],
  ];
  return `# written by tools/kafka-local/index.ts\n${props.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/** 16 random bytes, base64url without padding (what Uuid.randomUuid().toString() looks like). */
function randomClusterId(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && !/^A{21}[AQgw]$/.test(id)) return id; // Kafka rejects these
  }
}

function jvmOpts(logsDir: string, heap: { xms: string; xmx: string }): string[] {
  const extra = (env('JRP_KAFKA_JVM_OPTS') || '').split(/\s+/).filter(Boolean);
  // the JVM refuses two GC selections: let JRP_KAFKA_JVM_OPTS pick another one
  const gc = extra.some((o) => /^-XX:\+Use\w+GC$/.test(o)) ? [] : ['-XX:+UseSerialGC'];
  return [
    `-Xms${heap.xms}`,
    `-Xmx${heap.xmx}`,
    ...gc,
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Xss512k',
    '-Djava.awt.headless=true',
    '-Djava.net.preferIPv4Stack=true',
    `-Dkafka.logs.dir=${logsDir}`,
    `-Dlog4j2.configurationFile=${path.join(toolDir(), 'log4j2.xml')}`,
    ...extra,
  ];
}

// ---------------------------------------------------------------------------
// process bookkeeping: exit-time safety kill
// ---------------------------------------------------------------------------

/** running brokers of this process: pid -> temp dir to remove at exit (if we created it) */
const livePids = new Map<number, string | undefined>();
let exitHookInstalled = false;

/** Signal a whole process group (our children are spawned detached, i.e. group leaders). */
function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* group already gone */
  }
}

function stillRunning(cp: ChildProcess | undefined): cp is ChildProcess {
  return !!cp && cp.pid !== undefined && cp.exitCode === null && cp.signalCode === null;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Node is exiting without stop(): kill the JVMs synchronously, best-effort
  // removal of the temp dirs we created.
  process.on('exit', () => {
    for (const [pid, tempDir] of livePids) {
      killGroup(pid, 'SIGKILL');
      if (tempDir && !env('JRP_KAFKA_KEEP_DATA')) {
        try {
          fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 2 });
        } catch {
          /* the dying JVM may still be writing */
        }
      }
    }
    livePids.clear();
  });
}

/** Is pid a (live) Kafka JVM? Uses /proc where there is one, to survive pid reuse. */
function isKafkaPid(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return !fs.existsSync('/proc/self');
  }
}

/**
 * A tiny detached shell that SIGTERMs (then SIGKILLs) the JVM's group if this
 * Node process dies without stop() and without running 'exit' handlers
 * (kill -9, fatal signal). Exits by itself as soon as the JVM is gone.
 */
function spawnWatchdog(jvmPid: number): ChildProcess | undefined {
  const script =
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${jvmPid} 2>/dev/null; do sleep 1; done; ` +
    `if kill -0 ${jvmPid} 2>/dev/null; then kill -TERM -${jvmPid} 2>/dev/null; ` +
    `i=0; while [ $i -lt 10 ] && kill -0 ${jvmPid} 2>/dev/null; do sleep 1; i=$((i+1)); done; ` +
    `kill -KILL -${jvmPid} 2>/dev/null; fi`;
  try {
    const wd = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
    wd.on('error', () => undefined);
    wd.unref();
    return wd;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// log tailing
// ---------------------------------------------------------------------------

class LogTail {
  private offset = 0;
  private partial = '';
  private timer: NodeJS.Timeout | undefined;
  started = false;
  fatal: string | undefined;

  constructor(
    private readonly file: string,
    private readonly sink: ((line: string) => void) | undefined,
  ) {
    // a reused dataDir already has a server.log: only look at what this run writes
    try {
      this.offset = fs.statSync(file).size;
    } catch {
      this.offset = 0;
    }
  }

  poll(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) {
        this.offset = 0; // rolled over
        this.partial = '';
      }
      while (this.offset < size) {
        const buf = Buffer.alloc(Math.min(size - this.offset, 1 << 20));
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        const text = this.partial + buf.subarray(0, n).toString('utf8');
        const lines = text.split('\n');
        this.partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!this.started && STARTED_RE.test(line)) this.started = true;
          if (!this.fatal && FATAL_RE.test(line)) this.fatal = line;
          if (this.sink) {
            try {
              this.sink(line);
            } catch {
              /* a throwing logger must not break the broker */
            }
          }
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  follow(ms: number): void {
    if (this.timer || !this.sink) return;
    this.timer = setInterval(() => this.poll(), ms);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.poll();
  }
}

function fileTail(file: string, lines: number): string {
  try {
    const st = fs.statSync(file);
    const len = Math.min(st.size, 64 * 1024);
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, st.size - len);
      // stack frames drown the interesting lines
      return tail(
        buf
          .toString('utf8')
          .split('\n')
          .filter((l) => !/^\s+at /.test(l))
          .join('\n'),
        lines,
      );
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '(no output)';
  }
}

// ---------------------------------------------------------------------------
// start / stop
// ---------------------------------------------------------------------------

/**
 * Start a single-node Kafka (KRaft, broker+controller in one JVM) on 127.0.0.1.
 * Resolves once the port accepts connections and the broker logged that it started.
 */
export async function startLocalKafka(opts: StartLocalKafkaOptions = {}): Promise<LocalKafka> {
  const log = opts.log ?? (() => undefined);
  const java = javaBin();
  checkJava(java);
  const version = kafkaVersion();
  const libsDir = await fetchKafkaJars(log);

  let port: number;
  let controllerPort: number;
  if (opts.port) {
    await assertPortFree(opts.port);
    port = opts.port;
    controllerPort = (await freePorts(1, [port]))[0];
  } else {
    [port, controllerPort] = (await freePorts(2, [])) as [number, number];
  }

  const ownsDataDir = !opts.dataDir;
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'jrp-kafka-'));
  const logsDir = path.join(dataDir, 'logs');
  const kraftDir = path.join(dataDir, 'kraft-logs');
  const propsFile = path.join(dataDir, 'server.properties');
  const pidFile = path.join(dataDir, 'kafka.pid');
  const logFile = path.join(logsDir, 'server.log');
  const outFile = path.join(logsDir, 'kafka.out');
  fs.mkdirSync(logsDir, { recursive: true });
  fs.mkdirSync(kraftDir, { recursive: true });

  // A previous broker left running on this dataDir (parent was kill -9'ed)?
  try {
    const old = Number(fs.readFileSync(pidFile, 'utf8').trim());
    if (old > 0 && isKafkaPid(old)) {
      throw new Error(
        `kafka-local: a broker (pid ${old}) is still running on ${dataDir}; stop it first (kill -- -${old})`,
      );
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }

  fs.writeFileSync(propsFile, serverProperties({ port, controllerPort, logDirs: kraftDir }));
  const classpath = `${libsDir}${path.sep}*`;

  // format the storage once (reusing a dataDir keeps its data)
  if (!fs.existsSync(path.join(kraftDir, 'meta.properties'))) {
    const clusterId = randomClusterId();
    log(`[kafka-local] formatting ${kraftDir} (cluster id ${clusterId})`);
    const fmt = await run(
      java,
      [
        ...jvmOpts(logsDir, { xms: '64m', xmx: '256m' }),
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        propsFile,
      ],
      { cwd: dataDir, timeoutMs: 60_000 },
    );
    if (fmt.code !== 0) {
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`kafka-local: kafka-storage format failed (exit code ${fmt.code}):\n${tail(fmt.output, 30)}`);
    }
  }

  const logTail = new LogTail(logFile, opts.log);
  const outFd = fs.openSync(outFile, 'a');
  const t0 = Date.now();
  let child: ChildProcess;
  try {
    child = spawn(
      java,
      [...jvmOpts(logsDir, { xms: '256m', xmx: '512m' }), '-cp', classpath, 'kafka.Kafka', propsFile],
      { cwd: dataDir, detached: true, stdio: ['ignore', outFd, outFd] },
    );
  } finally {
    fs.closeSync(outFd);
  }
  const pid = child.pid;
  if (!pid) {
    const err = await new Promise<Error>((r) => child.once('error', r));
    throw new Error(`kafka-local: cannot start ${java}: ${err.message}`);
  }
  livePids.set(pid, ownsDataDir ? dataDir : undefined);
  installExitHook();
  child.unref();
  fs.writeFileSync(pidFile, `${pid}\n`);
  const watchdog = spawnWatchdog(pid);

  let exited = false;
  let exitInfo = '';
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      livePids.delete(pid);
      resolve();
    });
  });
  child.on('error', () => undefined);

  log(
    `[kafka-local] starting Kafka ${version} (pid ${pid}) on 127.0.0.1:${port}, controller :${controllerPort}, data ${dataDir}`,
  );

  const cleanupFailed = async () => {
    killGroup(pid, 'SIGKILL');
    await waitAtMost(exitPromise, 5000);
    livePids.delete(pid);
    if (stillRunning(watchdog)) killGroup(watchdog.pid as number, 'SIGKILL');
    logTail.close();
    try {
      fs.rmSync(pidFile, { force: true });
    } catch {
      /* ignore */
    }
  };

  const timeoutMs = Number(env('JRP_KAFKA_START_TIMEOUT_MS')) || START_TIMEOUT_MS;
  const deadline = t0 + timeoutMs;
  let portOpen = false;
  for (;;) {
    logTail.poll();
    if (exited || logTail.fatal || Date.now() > deadline) {
      const reason = exited
        ? `exited during startup (${exitInfo})`
        : logTail.fatal
          ? `failed to start: ${logTail.fatal}`
          : `not ready after ${timeoutMs} ms (port ${port} ${portOpen ? 'open' : 'closed'}, ` +
            `started line ${logTail.started ? 'seen' : 'not seen'})`;
      await cleanupFailed();
      throw new Error(
        `kafka-local: Kafka ${version} broker ${reason}; data dir ${dataDir}\n` +
          `--- ${outFile} (tail) ---\n${fileTail(outFile, 15)}\n--- ${logFile} (tail) ---\n${fileTail(logFile, 40)}`,
      );
    }
    if (!portOpen) portOpen = await canConnect(port);
    if (portOpen && logTail.started) break;
    await sleep(200);
  }
  log(`[kafka-local] Kafka ${version} ready on 127.0.0.1:${port} in ${Date.now() - t0} ms (pid ${pid})`);
  logTail.follow(500);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (!stopping) {
      stopping = (async () => {
        const s0 = Date.now();
        if (!exited) {
          killGroup(pid, 'SIGTERM');
          await waitAtMost(exitPromise, STOP_GRACE_MS);
          if (!exited) {
            log(`[kafka-local] broker did not stop within ${STOP_GRACE_MS} ms, sending SIGKILL`);
            killGroup(pid, 'SIGKILL');
            await waitAtMost(exitPromise, 5000);
          }
        }
        // the group may still hold stragglers (it shouldn't: java is alone in it);
        // a pid is not reused while its process group exists, so this is safe
        killGroup(pid, 'SIGKILL');
        livePids.delete(pid);
        if (stillRunning(watchdog)) killGroup(watchdog.pid as number, 'SIGKILL');
        logTail.close();
        fs.rmSync(pidFile, { force: true });
        log(`[kafka-local] broker stopped in ${Date.now() - s0} ms (${exitInfo || 'gone'})`);
        if (ownsDataDir && !env('JRP_KAFKA_KEEP_DATA')) {
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      })();
    }
    return stopping;
  };

  return { brokers: `127.0.0.1:${port}`, version, pid, dataDir, port, logFile, stop };
}
