/**
 * The broker's jars: fetched once by Maven (mvn dependency:copy-dependencies) into a cache shared by every run,
 * under a lock dir, complete when its marker file lists them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { INSTALL_HINT, mavenBin } from './prerequisites';
import { env, pidAlive, run, sleep, tail } from './support';
import { kafkaVersion, toolDir } from './tool-dir';

const FETCH_TIMEOUT_MS = 15 * 60_000;
const LOCK_STALE_MS = 20 * 60_000;

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
      res = await run(mavenBin(), args, { cwd: toolDir(), timeoutMs: FETCH_TIMEOUT_MS });
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
