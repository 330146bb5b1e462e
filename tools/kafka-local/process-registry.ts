/**
 * The brokers this process runs, so none outlives it: process groups, an exit-time safety kill, a watchdog for a
 * Node process killed without exit hooks, and recognising a broker left running by a killed parent.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import { env, pidAlive } from './support';

/** running brokers of this process: pid -> temp dir to remove at exit (if we created it) */
const livePids = new Map<number, string | undefined>();
let exitHookInstalled = false;

/** Signal a whole process group (our children are spawned detached, i.e. group leaders). */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* group already gone */
  }
}

export function stillRunning(cp: ChildProcess | undefined): cp is ChildProcess {
  return !!cp && cp.pid !== undefined && cp.exitCode === null && cp.signalCode === null;
}

/** Remember a running broker, killed (and its temp dir removed) if this process exits without stopping it. */
export function trackBroker(pid: number, tempDir: string | undefined): void {
  livePids.set(pid, tempDir);
  installExitHook();
}

/** The broker stopped (or failed to start): nothing to do for it at exit. */
export function untrackBroker(pid: number): void {
  livePids.delete(pid);
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
export function isKafkaPid(pid: number): boolean {
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
export function spawnWatchdog(jvmPid: number): ChildProcess | undefined {
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
