import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every service keeps the revocations it learned, so a restart refuses revoked tokens at once. */
export class RevokedTokens1764300000010 implements MigrationInterface {
  name = 'RevokedTokens1764300000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE revoked_tokens (
        token_id uuid PRIMARY KEY,
        organization text NOT NULL,
        revoked_at timestamptz NOT NULL,
        expires_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE revoked_tokens`);
  }
}
