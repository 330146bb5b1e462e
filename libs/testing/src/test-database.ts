import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresHandle, startEmbeddedPostgres, stopPostmaster } from '@jrp/database';
import { processMatches } from './process-check';

/** PIDs of embedded servers started by test runs, so a later run can stop those a killed run left. */
const REGISTRY = join(tmpdir(), 'jrp-test-postgres.json');

/** Each server's PID → the folders to remove once it is stopped (its own folder, and its data when kept elsewhere). */
interface Registry {
  [pid: string]: string | string[];
}

function readRegistry(): Registry {
  try {
    return JSON.parse(readFileSync(REGISTRY, 'utf8')) as Registry;
  } catch {
    return {};
  }
}

/**
 * The test run's PostgreSQL: `DATABASE_URL` when set; otherwise one embedded server for the whole
 * run (each suite then works in its own schemas). Returns a stop function.
 */
export async function provideTestDatabase(
  log: (line: string) => void = () => undefined,
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => Promise.resolve() };
  for (const [pid, dirs] of Object.entries(readRegistry())) {
    if (processMatches(Number(pid), 'postgres')) await stopPostmaster(Number(pid)).catch(() => undefined);
    for (const dir of [dirs].flat()) rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(REGISTRY, '{}');
  const dir = mkdtempSync(join(tmpdir(), 'jrp-test-pg-'));
  // as root, the server runs as `postgres`: this folder lets it in; when a folder above does not (TMPDIR
  // in a closed folder), the data lives where it can reach it (handle.dataDir)
  chmodSync(dir, 0o755);
  const started = Date.now();
  const handle: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), log });
  const folders = [...new Set([dir, handle.dataDir])];
  writeFileSync(REGISTRY, JSON.stringify({ ...readRegistry(), [String(handle.pid)]: folders }));
  log(`embedded PostgreSQL for tests on port ${handle.port}, data in ${handle.dataDir} (${Date.now() - started} ms)`);
  return {
    url: handle.url,
    stop: async () => {
      await handle.stop();
      const registry = readRegistry();
      delete registry[String(handle.pid)];
      writeFileSync(REGISTRY, JSON.stringify(registry));
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Drops every schema whose name starts with `prefix`. */
export async function dropSchemas(url: string, prefix: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}%`]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
