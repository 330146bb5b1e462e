import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, Table } from '@jrp/database';
import { DisabledReason, SubscriptionStatus } from './dto/subscription-queries.dto';

export interface SubscriptionRow {
  seq: string;
  id: string;
  organization: string;
  url: string;
  types: string[];
  status: SubscriptionStatus;
  /** The token it acts under: the one that created it or last enabled it (null: made before tokens were kept). */
  tokenId: string | null;
  disabledReason: DisabledReason | null;
  disabledDetail: string | null;
  disabledAt: Date | null;
  afterSeq: string;
  failedAttempts: number;
  nextAttemptAt: Date;
  lastDeliveredAt: Date | null;
  previousSecretUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SubscriptionFilter {
  /** The caller's organisation; undefined for the office. */
  organization?: string;
  /** A city office's city: only its organisations' subscriptions. */
  city?: string;
  status?: SubscriptionStatus;
  afterSeq: string;
  limit: number;
}

/**
 * `webhook_subscriptions` as its owners see it: never its secrets (sealed, read by the delivery worker
 * alone) nor its lease; the previous secret's end only while it still signs.
 */
export const webhookSubscriptions = new Table<SubscriptionRow>('webhook_subscriptions', {
  seq: { column: 'seq', generated: true },
  id: 'id',
  organization: 'organization',
  url: 'url',
  types: 'types',
  status: { column: 'status', generated: true },
  tokenId: 'token_id',
  disabledReason: { column: 'disabled_reason', generated: true },
  disabledDetail: { column: 'disabled_detail', generated: true },
  disabledAt: { column: 'disabled_at', generated: true },
  afterSeq: 'after_seq',
  failedAttempts: { column: 'failed_attempts', generated: true },
  nextAttemptAt: { column: 'next_attempt_at', generated: true },
  lastDeliveredAt: { column: 'last_delivered_at', generated: true },
  previousSecretUntil: { column: 'previous_secret_until', read: 'CASE WHEN $ > now() THEN $ END', generated: true },
  createdAt: { column: 'created_at', generated: true },
  updatedAt: { column: 'updated_at', generated: true },
});
const COLUMNS = webhookSubscriptions.selectList('s');

/** One attempt of the delivery log (`webhook_deliveries`). */
export interface DeliveryRow {
  seq: string;
  subscriptionId: string;
  webhookId: string;
  changeSeq: string;
  changeType: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  succeeded: boolean;
  attemptedAt: Date;
}

export const webhookDeliveries = new Table<DeliveryRow>('webhook_deliveries', {
  seq: { column: 'seq', generated: true },
  subscriptionId: 'subscription_id',
  webhookId: 'webhook_id',
  changeSeq: 'change_seq',
  changeType: 'change_type',
  attempt: 'attempt',
  statusCode: 'status_code',
  error: 'error',
  latencyMs: 'latency_ms',
  succeeded: 'succeeded',
  attemptedAt: { column: 'attempted_at', generated: true },
});

/** A delivery as its subscription's log shows it. */
const LOGGED = (
  [
    'seq',
    'webhookId',
    'changeSeq',
    'changeType',
    'attempt',
    'statusCode',
    'error',
    'latencyMs',
    'succeeded',
    'attemptedAt',
  ] as const
)
  .map((key) => `${webhookDeliveries.column(key)} AS "${key}"`)
  .join(', ');

/** `disabledDetail` of a subscription disabled because the token it acted under was revoked. */
export const tokenRevokedDetail = (revokedAt: string) =>
  `the token it acted under was revoked at ${revokedAt}; enable it again with a valid token`;

/** Releases a worker's lease, so a change of cursor or secret is seen by the next delivery. */
const BREAK_LEASE = `lease_owner = NULL, lease_until = NULL`;

/** Webhook subscriptions as their owners and the office see and change them. */
@Injectable()
export class SubscriptionsRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * A new subscription under the token that made it, its cursor at the current end of its organisation's
   * changes: no history unless replayed.
   */
  async insert(s: {
    id: string;
    organization: string;
    url: string;
    types: string[];
    sealedSecret: string;
    tokenId: string;
  }): Promise<SubscriptionRow> {
    await this.query(
      `INSERT INTO webhook_subscriptions (id, organization, url, types, secret, after_seq, token_id)
       VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(seq), 0) FROM task_changes WHERE organization = $2), $6)`,
      [s.id, s.organization, s.url, s.types, s.sealedSecret, s.tokenId],
    );
    return (await this.one(s.id, s.organization))!;
  }

  async countOf(organization: string): Promise<number> {
    const [row] = await this.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM webhook_subscriptions WHERE organization = $1`,
      [organization],
    );
    return row.n;
  }

  /** One subscription; `organization` restricts it to its owner. */
  async one(id: string, organization: string): Promise<SubscriptionRow | undefined> {
    const [row] = await this.query<SubscriptionRow[]>(
      `SELECT ${COLUMNS} FROM webhook_subscriptions s WHERE s.id = $1 AND s.organization = $2`,
      [id, organization],
    );
    return row;
  }

  list(f: SubscriptionFilter): Promise<SubscriptionRow[]> {
    const where = ['s.seq > $1'];
    const values: unknown[] = [f.afterSeq];
    const param = (v: unknown) => `$${values.push(v)}`;
    if (f.organization !== undefined) where.push(`s.organization = ${param(f.organization)}`);
    if (f.city !== undefined) where.push(`left(o.region, 4) = left(${param(f.city)}, 4)`);
    if (f.status) where.push(`s.status = ${param(f.status)}`);
    return this.query<SubscriptionRow[]>(
      `SELECT ${COLUMNS} FROM webhook_subscriptions s JOIN organizations o ON o.code = s.organization
       WHERE ${where.join(' AND ')} ORDER BY s.seq LIMIT ${param(f.limit)}`,
      values,
    );
  }

  async delete(id: string, organization: string): Promise<boolean> {
    const [, deleted] = await this.query<[unknown[], number]>(
      `DELETE FROM webhook_subscriptions WHERE id = $1 AND organization = $2`,
      [id, organization],
    );
    return deleted === 1;
  }

  /** The new secret signs from now on; the current one goes on signing alongside until `previousUntil`. */
  async rotate(id: string, organization: string, sealedSecret: string, previousUntil: Date): Promise<boolean> {
    const [rows] = await this.query<[{ id: string }[], number]>(
      `UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_until = $4, secret = $3, ${BREAK_LEASE}, updated_at = now()
       WHERE id = $1 AND organization = $2 RETURNING id`,
      [id, organization, sealedSecret, previousUntil],
    );
    return rows.length === 1;
  }

  /**
   * Active again under `tokenId`, from where it stopped: the change it failed on is attempted first, the
   * retry count reset. An active subscription only moves to `tokenId`. A token revoked meanwhile changes
   * nothing. Says what changed: `enabled`, `rebound` (active, now under `tokenId`) or `unchanged`.
   */
  async enable(id: string, organization: string, tokenId: string): Promise<'enabled' | 'rebound' | 'unchanged'> {
    const [rows] = await this.query<[{ enabled: boolean }[], number]>(
      `WITH old AS (
         SELECT id, status FROM webhook_subscriptions WHERE id = $1 AND organization = $2 FOR UPDATE
       )
       UPDATE webhook_subscriptions s SET status = 'active', disabled_reason = NULL, disabled_detail = NULL, disabled_at = NULL,
         failed_attempts = CASE WHEN old.status = 'disabled' THEN 0 ELSE s.failed_attempts END,
         next_attempt_at = CASE WHEN old.status = 'disabled' THEN now() ELSE s.next_attempt_at END,
         lease_owner = CASE WHEN old.status = 'disabled' THEN NULL ELSE s.lease_owner END,
         lease_until = CASE WHEN old.status = 'disabled' THEN NULL ELSE s.lease_until END,
         token_id = $3, updated_at = now()
       FROM old
       WHERE s.id = old.id AND (old.status = 'disabled' OR s.token_id IS DISTINCT FROM $3)
         AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.id = $3 AND t.revoked_at IS NOT NULL)
       RETURNING old.status = 'disabled' AS enabled`,
      [id, organization, tokenId],
    );
    return rows.length === 0 ? 'unchanged' : rows[0].enabled ? 'enabled' : 'rebound';
  }

  /**
   * Disables the active subscriptions acting under a token just revoked, in the revocation's transaction;
   * returns their ids. Their cursors stay: enabled again, they resume where they stopped.
   */
  async disableForToken(tokenId: string, revokedAt: string): Promise<string[]> {
    const [rows] = await this.query<[{ id: string }[], number]>(
      `UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = 'token-revoked', disabled_detail = $2,
         disabled_at = now(), ${BREAK_LEASE}, updated_at = now()
       WHERE token_id = $1 AND status = 'active' RETURNING id`,
      [tokenId, tokenRevokedDetail(revokedAt)],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Moves the cursor back to just before the first of the organisation's changes made at or after
   * `since` (never forward); returns that cursor, or null when there was nothing to move back to.
   * Changes are time-stamped when their transaction began, so their times are in `seq` order only to
   * within a transaction's length: the search looks back ten minutes further than `since`.
   */
  async rewind(id: string, organization: string, since: Date): Promise<string | null> {
    const [rows] = await this.query<[{ afterSeq: string }[], number]>(
      `WITH floor AS (
         SELECT coalesce((SELECT seq FROM task_changes WHERE organization = $2 AND created_at < $3::timestamptz - interval '10 minutes'
                          ORDER BY seq DESC LIMIT 1), 0) AS seq
       ), first AS (
         SELECT min(c.seq) AS seq FROM task_changes c, floor WHERE c.organization = $2 AND c.seq > floor.seq AND c.created_at >= $3
       )
       UPDATE webhook_subscriptions s SET after_seq = first.seq - 1, failed_attempts = 0, next_attempt_at = now(), ${BREAK_LEASE}, updated_at = now()
       FROM first WHERE s.id = $1 AND s.organization = $2 AND first.seq - 1 < s.after_seq
       RETURNING s.after_seq AS "afterSeq"`,
      [id, organization, since],
    );
    return rows[0]?.afterSeq ?? null;
  }

  /** The delivery log of one subscription, oldest first. */
  deliveries(id: string, afterSeq: string, limit: number): Promise<Omit<DeliveryRow, 'subscriptionId'>[]> {
    return this.query<Omit<DeliveryRow, 'subscriptionId'>[]>(
      `SELECT ${LOGGED} FROM webhook_deliveries WHERE subscription_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [id, afterSeq, limit],
    );
  }

  async organizationExists(code: string): Promise<boolean> {
    const rows = await this.query<unknown[]>(`SELECT 1 FROM organizations WHERE code = $1`, [code]);
    return rows.length === 1;
  }

  async allowedTargets(code: string): Promise<{ targets: string[]; updatedAt: Date | null }> {
    const [row] = await this.query<({ targets: string[]; updatedAt: Date } | undefined)[]>(
      `SELECT targets, updated_at AS "updatedAt" FROM webhook_allowed_targets WHERE organization = $1`,
      [code],
    );
    return row ?? { targets: [], updatedAt: null };
  }

  async setAllowedTargets(code: string, targets: string[]): Promise<void> {
    await this.query(
      `INSERT INTO webhook_allowed_targets (organization, targets) VALUES ($1, $2)
       ON CONFLICT (organization) DO UPDATE SET targets = EXCLUDED.targets, updated_at = now()`,
      [code, targets],
    );
  }
}
