import { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys of a service's writes: the first result, replayed for a repeated key. */
export class IdempotencyKeys1764300000011 implements MigrationInterface {
  name = 'IdempotencyKeys1764300000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        organization text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status int,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
