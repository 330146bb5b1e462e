import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { generateKeySpec, parseKeyRing } from '@jrp/crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { ConfigurationError, EnvironmentVariables, validateEnvironment } from './environment';

export type ServiceName = 'standalone' | 'list-ingestion' | 'measures' | 'feedback';
export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** The resolved configuration of one process, provided to Nest as `JrpConfig`. */
export class JrpConfig {
  service: ServiceName;
  port: number;
  /** Set once PostgreSQL is known (given, or the embedded one started). */
  databaseUrl: string;
  dataDir: string;
  schemaPrefix: string;
  /** Each service runs its migrations at start (JRP_MIGRATE, default true); otherwise it checks they ran. */
  migrate: boolean;
  /** Connections in each service's pool (JRP_DB_POOL_SIZE, default 10). */
  dbPoolSize: number;
  adminToken?: string;
  /** Only the service that issues tokens (measures) holds the private key. */
  tokenSigningKey?: KeyObject;
  /** Public keys accepted for tokens: the signing key's first, then any still valid during a rotation. */
  tokenVerifyKeys: KeyObject[];
  subjectKeySecret: Buffer;
  /** Data keys for personal identifiers at rest and in events; the first encrypts. */
  dataKeys: string;
  dataCipher: 'sm4' | 'aes-256-gcm';
  lookupHash: 'hmac-sm3' | 'hmac-sha256';
  bus: 'in-process' | 'kafka';
  kafkaBrokers: string[];
  topicPrefix: string;
  kafka: { partitions: number; replicationFactor: number; sessionTimeoutMs: number; heartbeatIntervalMs: number };
  demoSeed: boolean;
  /** Requests per minute per token (anonymous calls: per source address), per process. */
  rateLimitPerMinute: number;
  /** Requests per minute per client address, counted before any token is looked at, per process. */
  rateLimitPerAddressPerMinute: number;
  /** The proxies whose `X-Forwarded-For` is believed (addresses and CIDR ranges); none by default. */
  trustedProxies: string[];
  /** The address the HTTP server binds: `127.0.0.1` for the one-process deployment, every address for the services by default. */
  host?: string;
  /** When set, the operator endpoints (`/metrics`, `/health/*`) are served on this port too, and `/metrics` no longer on `port`. */
  opsPort?: number;
  /** Open task streams and waiting long polls one token may hold at once, per process (JRP_MAX_STREAMS_PER_TOKEN). */
  maxStreamsPerToken: number;
  /** Active entries re-matched per transaction after a catalogue version. */
  rematchBatchSize: number;
  /** How often each list-ingestion replica looks for entries past their validity. */
  expiryIntervalMs: number;
  /** Working days after a revocation to confirm that its measures were lifted (JRP_LIFTING_DEADLINE_WORKING_DAYS). */
  liftingDeadlineWorkingDays: number;
  /** Days a rejected import row is kept for its errors CSV (list-ingestion purges older ones). */
  importErrorsRetentionDays: number;
  /** Import jobs of one organisation running at once, across replicas; the others wait as `queued`. */
  importsPerOrganization: number;
  /** Bytes of upload files one organisation may have queued or running; an upload beyond is refused. */
  importQuotaBytesPerOrganization: number;
  /** Seconds to wait before each retry of a failed webhook delivery; once all are used, the subscription is disabled. */
  webhookRetrySchedule: number[];
  /** Webhook targets allowed although private or local (hosts, addresses, CIDR ranges), for every organisation. */
  webhookAllowedTargets: string[];
  logLevels: LogLevel[];
  /** One JSON object per log line (production) or Nest's text lines (development, tests). */
  logFormat: 'json' | 'text';
  /** `/health/ready` answers 503 once this many outbox rows have waited more than 30 s to be sent. */
  readyMaxOutboxBacklog: number;

  schemaOf(service: Exclude<ServiceName, 'standalone'>): string {
    return `${this.schemaPrefix}${service.replace(/-/g, '_')}`;
  }
}

interface Secrets {
  tokenSigningKey: string;
  subjectKeySecret: string;
  dataKeys: string;
  /** The embedded PostgreSQL's superuser password (the one-process deployment without DATABASE_URL). */
  databasePassword?: string;
  /** The password of the role the one-process deployment's services connect to the embedded PostgreSQL as. */
  databaseServicePassword?: string;
}

/**
 * The passwords of the embedded PostgreSQL that `npm start` runs: its superuser's (who migrates and owns
 * the tables) and the services' role's, each generated once and kept beside the other secrets in
 * `JRP_DATA_DIR/secrets.json` (created when missing).
 */
export function embeddedDatabasePasswords(dataDir: string): { superuser: string; services: string } {
  const file = join(dataDir, 'secrets.json');
  const known = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>) : {};
  if (!known.databasePassword || !known.databaseServicePassword) {
    const updated = {
      ...known,
      databasePassword: known.databasePassword ?? randomBytes(24).toString('base64url'),
      databaseServicePassword: known.databaseServicePassword ?? randomBytes(24).toString('base64url'),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(updated, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
    return { superuser: updated.databasePassword, services: updated.databaseServicePassword };
  }
  return { superuser: known.databasePassword, services: known.databaseServicePassword };
}

/** Secrets of a one-machine deployment, generated on first start and kept in the data folder. */
function localSecrets(dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  const known = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>) : undefined;
  if (known?.tokenSigningKey && known.subjectKeySecret && known.dataKeys) return known as Secrets;
  // a first start, or a file written before a secret was added (or with the database passwords only)
  const secrets: Secrets = {
    ...known,
    tokenSigningKey:
      known?.tokenSigningKey ??
      generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    subjectKeySecret: known?.subjectKeySecret ?? randomBytes(32).toString('base64'),
    dataKeys: known?.dataKeys ?? generateKeySpec('k1'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** Standard Webhooks' spirit: quick retries first, then hours apart, over more than 24 h in all. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];

/** A trusted proxy: an IPv4/IPv6 address or a CIDR range (no host names: they are not looked up). */
export function isAddressPattern(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined || isIP(address) === 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(address) === 4 ? 32 : 128));
}

/** A webhook allow-list entry: a host name, an IPv4/IPv6 address, or a CIDR range. */
export function isWebhookTargetPattern(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined) return false;
  if (prefix !== undefined)
    return isIP(address) !== 0 && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(address) === 4 ? 32 : 128);
  return (
    isIP(address) !== 0 ||
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(address)
  );
}

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Validates the environment and resolves it for one service. The one-process deployment (`standalone`)
 * may run with no configuration at all: it generates and keeps its secrets in `JRP_DATA_DIR`. The
 * distributed services need theirs given explicitly, and say which are missing.
 */
export function resolveConfig(env: NodeJS.ProcessEnv, service: ServiceName): JrpConfig {
  const vars: EnvironmentVariables = validateEnvironment(env);
  const config = new JrpConfig();
  config.service = service;
  config.port = vars.PORT ?? 3000;
  config.databaseUrl = vars.DATABASE_URL ?? '';
  config.dataDir = resolve(vars.JRP_DATA_DIR ?? '.jrp');
  config.schemaPrefix = vars.JRP_DB_SCHEMA_PREFIX ?? '';
  config.migrate = (vars.JRP_MIGRATE ?? 'true') === 'true';
  config.dbPoolSize = vars.JRP_DB_POOL_SIZE ?? 10;
  config.adminToken = vars.JRP_ADMIN_TOKEN;
  config.bus = vars.JRP_BUS ?? (service === 'standalone' ? 'in-process' : 'kafka');
  config.kafkaBrokers = vars.KAFKA_BROKERS ? vars.KAFKA_BROKERS.split(',') : [];
  config.topicPrefix = vars.JRP_TOPIC_PREFIX ?? '';
  config.kafka = {
    partitions: vars.KAFKA_TOPIC_PARTITIONS ?? 6,
    replicationFactor: vars.KAFKA_REPLICATION_FACTOR ?? 1,
    sessionTimeoutMs: vars.KAFKA_SESSION_TIMEOUT_MS ?? 30000,
    heartbeatIntervalMs: vars.KAFKA_HEARTBEAT_INTERVAL_MS ?? 3000,
  };
  config.demoSeed = (vars.JRP_DEMO_SEED ?? (service === 'standalone' ? 'true' : 'false')) === 'true';
  config.rateLimitPerMinute = vars.JRP_RATE_LIMIT_PER_MINUTE ?? 1200;
  config.rateLimitPerAddressPerMinute = vars.JRP_RATE_LIMIT_PER_ADDRESS_PER_MINUTE ?? 5 * config.rateLimitPerMinute;
  config.trustedProxies = (vars.JRP_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const badProxies = config.trustedProxies.filter((entry) => !isAddressPattern(entry));
  if (badProxies.length > 0) {
    throw new ConfigurationError(
      `invalid configuration:\n  - JRP_TRUSTED_PROXIES: not an address or CIDR range: ${badProxies.join(', ')}`,
    );
  }
  // npm start serves this machine only unless told otherwise; the services keep binding every address
  config.host = vars.JRP_HOST ?? (service === 'standalone' ? '127.0.0.1' : undefined);
  config.opsPort = vars.JRP_OPS_PORT;
  if (config.opsPort !== undefined && config.opsPort === config.port) {
    throw new ConfigurationError('invalid configuration:\n  - JRP_OPS_PORT: must differ from PORT');
  }
  config.maxStreamsPerToken = vars.JRP_MAX_STREAMS_PER_TOKEN ?? 4;
  config.rematchBatchSize = vars.JRP_REMATCH_BATCH_SIZE ?? 200;
  config.expiryIntervalMs = vars.JRP_EXPIRY_INTERVAL_MS ?? 60000;
  config.liftingDeadlineWorkingDays = vars.JRP_LIFTING_DEADLINE_WORKING_DAYS ?? 5;
  config.importErrorsRetentionDays = vars.JRP_IMPORT_ERRORS_RETENTION_DAYS ?? 90;
  config.importsPerOrganization = vars.JRP_IMPORTS_PER_ORGANIZATION ?? 2;
  config.importQuotaBytesPerOrganization = vars.JRP_IMPORT_QUOTA_BYTES_PER_ORGANIZATION ?? 1024 * 1024 * 1024;
  config.webhookRetrySchedule = vars.JRP_WEBHOOK_RETRY_SCHEDULE
    ? vars.JRP_WEBHOOK_RETRY_SCHEDULE.split(',').map((s) => Number(s.trim()))
    : DEFAULT_WEBHOOK_RETRY_SCHEDULE;
  if (config.webhookRetrySchedule.some((s) => s < 1 || s > 604800)) {
    throw new ConfigurationError(
      'invalid configuration:\n  - JRP_WEBHOOK_RETRY_SCHEDULE: each delay must be 1 to 604800 seconds',
    );
  }
  config.webhookAllowedTargets = (vars.JRP_WEBHOOK_ALLOWED_TARGETS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const badTargets = config.webhookAllowedTargets.filter((t) => !isWebhookTargetPattern(t));
  if (badTargets.length > 0) {
    throw new ConfigurationError(
      `invalid configuration:\n  - JRP_WEBHOOK_ALLOWED_TARGETS: not a host, address or CIDR range: ${badTargets.join(', ')}`,
    );
  }
  const level = (vars.LOG_LEVEL ?? 'log') as LogLevel;
  config.logLevels = LEVELS.slice(0, LEVELS.indexOf(level) + 1);
  config.logFormat = vars.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'text');
  config.readyMaxOutboxBacklog = vars.JRP_READY_MAX_OUTBOX_BACKLOG ?? 1000;

  const missing: string[] = [];
  let signing = vars.JRP_TOKEN_SIGNING_KEY;
  let subjectSecret = vars.JRP_SUBJECT_KEY_SECRET;
  let dataKeys = vars.JRP_DATA_KEYS;
  if (service === 'standalone' && (!signing || !subjectSecret || !dataKeys)) {
    const local = localSecrets(config.dataDir);
    signing ??= local.tokenSigningKey;
    subjectSecret ??= local.subjectKeySecret;
    dataKeys ??= local.dataKeys;
  }
  config.dataCipher = vars.JRP_DATA_CIPHER ?? 'sm4';
  config.lookupHash = vars.JRP_LOOKUP_HASH ?? 'hmac-sm3';
  config.dataKeys = dataKeys ?? '';
  if (dataKeys) {
    try {
      parseKeyRing(dataKeys);
    } catch (error) {
      throw new ConfigurationError(`invalid configuration:\n  - JRP_DATA_KEYS: ${(error as Error).message}`);
    }
  }
  try {
    config.tokenVerifyKeys = [];
    if (signing) {
      config.tokenSigningKey = createPrivateKey({ key: Buffer.from(signing, 'base64'), format: 'der', type: 'pkcs8' });
      config.tokenVerifyKeys.push(createPublicKey(config.tokenSigningKey));
    }
    for (const key of (vars.JRP_TOKEN_VERIFY_KEY ?? '').split(',').filter(Boolean)) {
      config.tokenVerifyKeys.push(createPublicKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' }));
    }
  } catch (error) {
    throw new ConfigurationError(`invalid configuration:\n  - token key: ${(error as Error).message}`);
  }
  if (service === 'measures' && !config.tokenSigningKey) missing.push('JRP_TOKEN_SIGNING_KEY (measures issues tokens)');
  if (config.tokenVerifyKeys.length === 0 && service !== 'measures')
    missing.push('JRP_TOKEN_VERIFY_KEY or JRP_TOKEN_SIGNING_KEY');
  if (subjectSecret) config.subjectKeySecret = Buffer.from(subjectSecret, 'utf8');
  else if (service !== 'feedback') missing.push('JRP_SUBJECT_KEY_SECRET');
  if (!dataKeys && service !== 'feedback') missing.push('JRP_DATA_KEYS');
  if (service !== 'standalone' && !config.databaseUrl) missing.push('DATABASE_URL');
  if (config.bus === 'kafka' && config.kafkaBrokers.length === 0) missing.push('KAFKA_BROKERS (JRP_BUS is kafka)');
  if (missing.length > 0) {
    throw new ConfigurationError(
      `invalid configuration for ${service}:\n${missing.map((m) => `  - missing ${m}`).join('\n')}`,
    );
  }
  return config;
}
