import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A webhook subscription acts under a token: the one that created it, or the one that last enabled it.
 * Revoking that token disables the subscription (`disabled_reason` 'token-revoked') until its
 * organisation enables it again with a valid token. Subscriptions made before this have none (NULL)
 * until they are next enabled.
 */
export class SubscriptionTokens1764300000017 implements MigrationInterface {
  name = 'SubscriptionTokens1764300000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_subscriptions ADD COLUMN token_id uuid`);
    await q.query(`ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_disabled_reason_check`);
    await q.query(
      `ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_disabled_reason_check
         CHECK (disabled_reason IN ('gone', 'retries-exhausted', 'token-revoked'))`,
    );
    await q.query(
      `CREATE INDEX webhook_subscriptions_token ON webhook_subscriptions (token_id) WHERE status = 'active'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_subscriptions_token`);
    await q.query(`ALTER TABLE webhook_subscriptions DROP CONSTRAINT webhook_subscriptions_disabled_reason_check`);
    await q.query(
      `UPDATE webhook_subscriptions SET disabled_reason = 'retries-exhausted' WHERE disabled_reason = 'token-revoked'`,
    );
    await q.query(
      `ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_disabled_reason_check
         CHECK (disabled_reason IN ('gone', 'retries-exhausted'))`,
    );
    await q.query(`ALTER TABLE webhook_subscriptions DROP COLUMN token_id`);
  }
}
