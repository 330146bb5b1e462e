import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess, testEnvironment, uniquePrefix } from '@jrp/testing';

export interface ServiceDeployment {
  env: NodeJS.ProcessEnv;
  prefix: string;
  logs: string;
  listIngestion: ServiceProcess;
  measures: ServiceProcess;
  feedback: ServiceProcess;
}

/**
 * The three services as separate processes (from dist/) on the run's Kafka broker, each with its own
 * log file, as in production: only measures holds the signing key, feedback no data keys.
 */
export function serviceDeployment(name: string, extra: NodeJS.ProcessEnv = {}): ServiceDeployment {
  const prefix = uniquePrefix(name);
  const env = testEnvironment(prefix, {
    JRP_BUS: 'kafka',
    JRP_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: '3',
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    ...extra,
  });
  const verifyKey = createPublicKey(
    createPrivateKey({ key: Buffer.from(env.JRP_TOKEN_SIGNING_KEY!, 'base64'), format: 'der', type: 'pkcs8' }),
  )
    .export({ format: 'der', type: 'spki' })
    .toString('base64');
  const verifying = { ...env, JRP_TOKEN_SIGNING_KEY: undefined, JRP_TOKEN_VERIFY_KEY: verifyKey };
  const logs = mkdtempSync(join(tmpdir(), `jrp-${name}-`));
  return {
    env,
    prefix,
    logs,
    listIngestion: new ServiceProcess('apps/list-ingestion/src/main.js', verifying, join(logs, 'list-ingestion.log')),
    measures: new ServiceProcess('apps/measures/src/main.js', env, join(logs, 'measures.log')),
    feedback: new ServiceProcess(
      'apps/feedback/src/main.js',
      { ...verifying, JRP_DATA_KEYS: undefined },
      join(logs, 'feedback.log'),
    ),
  };
}

/** A service's log file as JSON lines (LOG_FORMAT=json); throws on a line that is not one JSON object. */
export function jsonLogLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const parsed = JSON.parse(line);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        return parsed as Record<string, unknown>;
      } catch {
        throw new Error(`${file}: not a JSON log line: ${line.slice(0, 200)}`);
      }
    });
}
