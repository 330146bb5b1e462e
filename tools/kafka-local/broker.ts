/** Starting and stopping the broker: one JVM, detached in its own process group, ready when it says so. */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fetchKafkaJars } from './jars';
import { jvmOpts, randomClusterId, serverProperties } from './kraft-config';
import { fileTail, LogTail } from './log-tail';
import { checkJava, javaBin } from './prerequisites';
import { isKafkaPid, killGroup, spawnWatchdog, stillRunning, trackBroker, untrackBroker } from './process-registry';
import { assertPortFree, canConnect, freePorts } from './ports';
import { env, run, sleep, tail, waitAtMost } from './support';
import { kafkaVersion } from './tool-dir';

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

const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 20_000;

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
  trackBroker(pid, ownsDataDir ? dataDir : undefined);
  child.unref();
  fs.writeFileSync(pidFile, `${pid}\n`);
  const watchdog = spawnWatchdog(pid);

  let exited = false;
  let exitInfo = '';
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      untrackBroker(pid);
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
    untrackBroker(pid);
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
        untrackBroker(pid);
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
