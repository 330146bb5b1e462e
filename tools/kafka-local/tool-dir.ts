/**
 * Locating pom.xml / log4j2.xml (works from the .ts sources and from a tsc output dir such as
 * dist/tools/kafka-local, which has no pom.xml), and the Kafka version the pom resolves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { env } from './support';

let toolDirCache: string | undefined;

export function toolDir(): string {
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
