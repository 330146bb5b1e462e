import { provideTestDatabase } from '@jrp/testing';

/** One PostgreSQL for the whole run: DATABASE_URL when set, else an embedded server. */
export default async function globalSetup(): Promise<void> {
  const db = await provideTestDatabase((line) => process.stdout.write(`[test setup] ${line}\n`));
  process.env.DATABASE_URL = db.url;
  (globalThis as { __jrpStopDatabase?: () => Promise<void> }).__jrpStopDatabase = db.stop;
}
