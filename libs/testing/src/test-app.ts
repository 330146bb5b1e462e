import { INestApplication } from '@nestjs/common';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { JrpConfig, resolveConfig, ServiceName } from '@jrp/config';
import { generateKeySpec, PersonalData } from '@jrp/crypto';
import { dropSchemas } from './test-database';

/** Environment of a test deployment: its own schemas, secrets and admin token, on the run's database. */
export function testEnvironment(schemaPrefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the e2e tests through jest (global setup provides it)');
  const signing = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return {
    DATABASE_URL: url,
    JRP_DB_SCHEMA_PREFIX: schemaPrefix,
    JRP_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
    JRP_TOKEN_SIGNING_KEY: signing,
    JRP_SUBJECT_KEY_SECRET: randomBytes(32).toString('base64'),
    JRP_DATA_KEYS: generateKeySpec('k1'),
    JRP_DEMO_SEED: 'false',
    JRP_BUS: 'in-process',
    ...(process.env.KAFKA_BROKERS ? { KAFKA_BROKERS: process.env.KAFKA_BROKERS } : {}),
    JRP_DATA_DIR: mkdtempSync(join(tmpdir(), 'jrp-test-data-')),
    LOG_LEVEL: process.env.JRP_TEST_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

export const uniquePrefix = (name: string) => `t_${name}_${randomBytes(3).toString('hex')}_`;

/** Talks to a running jrp over HTTP like a client would. */
export class ApiClient {
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly target: INestApplication | string,
    readonly adminToken: string,
  ) {}

  http() {
    return request(typeof this.target === 'string' ? this.target : (this.target.getHttpServer() as App));
  }

  /** A token of organisation `code`, issued through the admin API once and reused. */
  async tokenOf(code: string): Promise<string> {
    const known = this.tokens.get(code);
    if (known) return known;
    const res = await this.http()
      .post(`/api/v1/admin/organizations/${code}/tokens`)
      .set('Authorization', `Bearer ${this.adminToken}`)
      .send({ label: 'test' });
    if (res.status !== 201) throw new Error(`token for ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    const { token } = res.body as { token: string };
    this.tokens.set(code, token);
    return token;
  }

  async as(code: string) {
    const token = await this.tokenOf(code);
    const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
    return {
      get: (path: string) => auth(this.http().get(path)),
      post: (path: string, body?: object) => auth(this.http().post(path)).send(body ?? {}),
    };
  }
}

/** SQL against one schema of the test database, to check what is stored. */
export class SchemaProbe {
  constructor(
    private readonly url: string,
    readonly schema: string,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.url, options: `-c search_path=${this.schema}` });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) q`, params);
    return Number(row.n);
  }
}

/** A config resolved from a test environment. */
export function testConfig(env: NodeJS.ProcessEnv, service: ServiceName = 'standalone'): JrpConfig {
  return resolveConfig(env, service);
}

export async function cleanUp(env: NodeJS.ProcessEnv): Promise<void> {
  await dropSchemas(env.DATABASE_URL!, env.JRP_DB_SCHEMA_PREFIX!);
}

/** The personal-data protection of a test deployment, to compute subject keys and read ciphertexts. */
export function personalDataOf(env: NodeJS.ProcessEnv): PersonalData {
  const config = resolveConfig(env, 'standalone');
  return new PersonalData({
    dataKeys: config.dataKeys,
    cipher: config.dataCipher,
    lookupSecret: config.subjectKeySecret,
    lookup: config.lookupHash,
  });
}

/** supertest parser that keeps a response body as raw bytes (CSV with a BOM, XLSX): `.buffer(true).parse(rawBody)`. */
export function rawBody(res: request.Response, done: (error: Error | null, body: unknown) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
