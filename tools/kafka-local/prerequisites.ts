/** Finding the programs kafka-local needs: Java 17+ (to run the broker) and Maven (to fetch its jars). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { env } from './support';

export const INSTALL_HINT = 'Java 17+ (apt-get install openjdk-17-jre-headless) and Maven, or set KAFKA_BROKERS';

export function javaBin(): string {
  const home = env('JAVA_HOME');
  if (home) {
    const bin = path.join(home, 'bin', 'java');
    if (fs.existsSync(bin)) return bin;
  }
  return 'java';
}

export function checkJava(java: string): number {
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

/** The Maven executable: JRP_MVN, else mvn on PATH. */
export function mavenBin(): string {
  return env('JRP_MVN') || 'mvn';
}
