import { readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** A numeric variable: its text turned into a number for validation. */
const ToNumber = () => Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)));

/** Every environment variable jrp reads, validated at start-up. The README's table mirrors this class. */
export class EnvironmentVariables {
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  DATABASE_PASSWORD?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'JRP_MIGRATE must be true or false' })
  JRP_MIGRATE?: string;

  /** Connections each service's pool may open; the outbox relay keeps one of them while it leads. */
  @IsOptional()
  @ToNumber()
  @IsInt({ message: 'JRP_DB_POOL_SIZE must be a whole number of connections' })
  @Min(2, { message: 'JRP_DB_POOL_SIZE must be 2 to 200 connections' })
  @Max(200, { message: 'JRP_DB_POOL_SIZE must be 2 to 200 connections' })
  JRP_DB_POOL_SIZE?: number;

  @IsOptional()
  @MinLength(16, { message: 'JRP_LIST_INGESTION_DB_PASSWORD must be at least 16 characters' })
  JRP_LIST_INGESTION_DB_PASSWORD?: string;

  @IsOptional()
  @MinLength(16, { message: 'JRP_MEASURES_DB_PASSWORD must be at least 16 characters' })
  JRP_MEASURES_DB_PASSWORD?: string;

  @IsOptional()
  @MinLength(16, { message: 'JRP_FEEDBACK_DB_PASSWORD must be at least 16 characters' })
  JRP_FEEDBACK_DB_PASSWORD?: string;

  @IsOptional()
  @IsString()
  JRP_DATA_DIR?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,30}$/, { message: 'JRP_DB_SCHEMA_PREFIX must be lower-case letters, digits and _' })
  JRP_DB_SCHEMA_PREFIX?: string;

  @IsOptional()
  @MinLength(24, { message: 'JRP_ADMIN_TOKEN must be at least 24 characters' })
  JRP_ADMIN_TOKEN?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9+/=]+$/, { message: 'JRP_TOKEN_SIGNING_KEY must be a base64 PKCS#8 Ed25519 private key' })
  JRP_TOKEN_SIGNING_KEY?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9+/=]+(,[A-Za-z0-9+/=]+)*$/, {
    message: 'JRP_TOKEN_VERIFY_KEY must be base64 SPKI Ed25519 public keys, comma-separated',
  })
  JRP_TOKEN_VERIFY_KEY?: string;

  @IsOptional()
  @MinLength(32, { message: 'JRP_SUBJECT_KEY_SECRET must be at least 32 characters' })
  JRP_SUBJECT_KEY_SECRET?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/_=-]{40,}(,[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/_=-]{40,})*$/, {
    message: 'JRP_DATA_KEYS must be id:base64-32-bytes[,id:base64…] (the first is current)',
  })
  JRP_DATA_KEYS?: string;

  @IsOptional()
  @IsIn(['sm4', 'aes-256-gcm'], { message: 'JRP_DATA_CIPHER must be sm4 or aes-256-gcm' })
  JRP_DATA_CIPHER?: 'sm4' | 'aes-256-gcm';

  @IsOptional()
  @IsIn(['hmac-sm3', 'hmac-sha256'], { message: 'JRP_LOOKUP_HASH must be hmac-sm3 or hmac-sha256' })
  JRP_LOOKUP_HASH?: 'hmac-sm3' | 'hmac-sha256';

  @IsOptional()
  @IsIn(['in-process', 'kafka'], { message: 'JRP_BUS must be in-process or kafka' })
  JRP_BUS?: 'in-process' | 'kafka';

  @IsOptional()
  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS?: string;

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,40}$/, { message: 'JRP_TOPIC_PREFIX must be lower-case letters, digits, ., _ or -' })
  JRP_TOPIC_PREFIX?: string;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_TOPIC_PARTITIONS?: number;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(10)
  KAFKA_REPLICATION_FACTOR?: number;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(3000)
  @Max(300000)
  KAFKA_SESSION_TIMEOUT_MS?: number;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(100)
  @Max(60000)
  KAFKA_HEARTBEAT_INTERVAL_MS?: number;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1000000)
  JRP_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(10000000)
  JRP_RATE_LIMIT_PER_ADDRESS_PER_MINUTE?: number;

  @IsOptional()
  @Matches(/^[^\s,]+(\s*,\s*[^\s,]+)*$/, {
    message: 'JRP_TRUSTED_PROXIES must be addresses and CIDR ranges, comma-separated',
  })
  JRP_TRUSTED_PROXIES?: string;

  @IsOptional()
  @Matches(/^([0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/, {
    message: 'JRP_HOST must be an IP address or a host name (0.0.0.0 or :: for every address)',
  })
  JRP_HOST?: string;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(65535)
  JRP_OPS_PORT?: number;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  JRP_MAX_STREAMS_PER_TOKEN?: number;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(10000)
  JRP_REMATCH_BATCH_SIZE?: number;

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1000)
  @Max(86400000)
  JRP_EXPIRY_INTERVAL_MS?: number;

  /** Working days after a revocation (repair, removal, expiry, objection upheld) to confirm lifting (measures). */
  @IsOptional()
  @ToNumber()
  @IsInt({ message: 'JRP_LIFTING_DEADLINE_WORKING_DAYS must be a whole number of working days' })
  @Min(1, { message: 'JRP_LIFTING_DEADLINE_WORKING_DAYS must be 1 to 60 working days' })
  @Max(60, { message: 'JRP_LIFTING_DEADLINE_WORKING_DAYS must be 1 to 60 working days' })
  JRP_LIFTING_DEADLINE_WORKING_DAYS?: number;

  @IsOptional()
  @ToNumber()
  @IsInt({ message: 'JRP_IMPORT_ERRORS_RETENTION_DAYS must be a whole number of days' })
  @Min(1, { message: 'JRP_IMPORT_ERRORS_RETENTION_DAYS must be 1 to 3650 days' })
  @Max(3650, { message: 'JRP_IMPORT_ERRORS_RETENTION_DAYS must be 1 to 3650 days' })
  JRP_IMPORT_ERRORS_RETENTION_DAYS?: number;

  @IsOptional()
  @ToNumber()
  @IsInt({ message: 'JRP_IMPORTS_PER_ORGANIZATION must be a whole number of import jobs' })
  @Min(1)
  @Max(100)
  JRP_IMPORTS_PER_ORGANIZATION?: number;

  @IsOptional()
  @ToNumber()
  @IsInt({ message: 'JRP_IMPORT_QUOTA_BYTES_PER_ORGANIZATION must be a whole number of bytes' })
  @Min(1024 * 1024)
  @Max(1024 * 1024 * 1024 * 1024)
  JRP_IMPORT_QUOTA_BYTES_PER_ORGANIZATION?: number;

  @IsOptional()
  @Matches(/^\s*\d{1,7}\s*(,\s*\d{1,7}\s*)*$/, {
    message: 'JRP_WEBHOOK_RETRY_SCHEDULE must be seconds, comma-separated (e.g. 5,300,1800)',
  })
  JRP_WEBHOOK_RETRY_SCHEDULE?: string;

  @IsOptional()
  @Matches(/^[^\s,]+(\s*,\s*[^\s,]+)*$/, {
    message: 'JRP_WEBHOOK_ALLOWED_TARGETS must be hosts and CIDR ranges, comma-separated',
  })
  JRP_WEBHOOK_ALLOWED_TARGETS?: string;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'JRP_DEMO_SEED must be true or false' })
  JRP_DEMO_SEED?: string;

  @IsOptional()
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'], {
    message: 'LOG_LEVEL must be error, warn, log, debug or verbose',
  })
  LOG_LEVEL?: string;

  @IsOptional()
  @IsIn(['json', 'text'], { message: 'LOG_FORMAT must be json or text' })
  LOG_FORMAT?: 'json' | 'text';

  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(100000000)
  JRP_READY_MAX_OUTBOX_BACKLOG?: number;
}

/** A configuration a process cannot start with; entry points print its message alone. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** The name of every environment variable jrp reads (the properties of EnvironmentVariables). */
export function environmentVariableNames(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

/**
 * Docker secrets and the like: for every variable jrp reads, `NAME_FILE` names a file whose content,
 * trimmed, is the value. Returns the environment with those values in place and what went wrong.
 */
export function readVariableFiles(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; problems: string[] } {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  for (const name of environmentVariableNames()) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`  - ${name}: both ${name} and ${name}_FILE are set; set one of them`);
      continue;
    }
    let content: string;
    try {
      content = readFileSync(file, 'utf8').trim();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems.push(`  - ${name}_FILE: cannot read ${file} (${reason})`);
      continue;
    }
    if (content === '') problems.push(`  - ${name}_FILE: ${file} is empty`);
    else resolved[name] = content;
  }
  return { env: resolved, problems };
}

/** DATABASE_URL with DATABASE_PASSWORD as its password, when that is given apart (a secret file). */
function withDatabasePassword(vars: EnvironmentVariables): string[] {
  if (!vars.DATABASE_PASSWORD) return [];
  if (!vars.DATABASE_URL) return ['  - DATABASE_PASSWORD: is the password of DATABASE_URL, which is not set'];
  const url = new URL(vars.DATABASE_URL);
  if (url.password) return ['  - DATABASE_PASSWORD: DATABASE_URL already holds a password; give it in one place'];
  url.password = encodeURIComponent(vars.DATABASE_PASSWORD);
  vars.DATABASE_URL = url.toString();
  return [];
}

/**
 * Validates the environment (each variable given directly or as `NAME_FILE`); throws one error that
 * names every wrong value.
 */
export function validateEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const { env: withFiles, problems } = readVariableFiles(env);
  const known = environmentVariableNames();
  const picked = Object.fromEntries(
    Object.entries(withFiles).filter(([name, value]) => value !== '' && known.includes(name)),
  );
  const vars = plainToInstance(EnvironmentVariables, picked);
  const errors = validateSync(vars, { whitelist: true });
  const invalid = errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => `  - ${error.property}: ${message}`),
  );
  const lines = [...problems, ...invalid];
  if (lines.length === 0) lines.push(...withDatabasePassword(vars));
  if (lines.length > 0) throw new ConfigurationError(`invalid configuration:\n${lines.join('\n')}`);
  return vars;
}
