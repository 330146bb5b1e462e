import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook subscriptions (订阅): each with its cursor in its organisation's task changes, its signing
 * secrets (encrypted), its retry state and a delivery lease that replicas take with SKIP LOCKED; the
 * log of delivery attempts; and the webhook targets the admin allows each organisation.
 */
export class Webhooks1764300000012 implements MigrationInterface {
  name = 'Webhooks1764300000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        organization text NOT NULL,
        url text NOT NULL,
        types text[] NOT NULL,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_until timestamptz,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        disabled_reason text CHECK (disabled_reason IN ('gone', 'retries-exhausted')),
        disabled_detail text,
        disabled_at timestamptz,
        after_seq bigint NOT NULL,
        failed_attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_owner uuid,
        lease_until timestamptz,
        last_delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_subscriptions_organization ON webhook_subscriptions (organization, seq)`);
    await q.query(
      `CREATE INDEX webhook_subscriptions_due ON webhook_subscriptions (next_attempt_at) WHERE status = 'active'`,
    );
    await q.query(
      `CREATE INDEX webhook_subscriptions_disabled ON webhook_subscriptions (seq) WHERE status = 'disabled'`,
    );
    await q.query(`
      CREATE TABLE webhook_deliveries (
        seq bigserial PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        webhook_id text NOT NULL,
        change_seq bigint NOT NULL,
        change_type text NOT NULL,
        attempt int NOT NULL,
        status_code int,
        error text,
        latency_ms int NOT NULL,
        succeeded boolean NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, seq)`);
    await q.query(`
      CREATE TABLE webhook_allowed_targets (
        organization text PRIMARY KEY,
        targets text[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['webhook_allowed_targets', 'webhook_deliveries', 'webhook_subscriptions'])
      await q.query(`DROP TABLE ${t}`);
  }
}
