import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SubscriptionStatus } from './dto/subscription-queries.dto';

export interface SubscriptionRow {
  seq: string;
  id: string;
  organization: string;
  url: string;
  types: string[];
  status: SubscriptionStatus;
  disabledReason: 'gone' | 'retries-exhausted' | null;
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

const COLUMNS = `s.seq, s.id, s.organization, s.url, s.types, s.status, s.disabled_reason AS "disabledReason", s.disabled_detail AS "disabledDetail",
  s.disabled_at AS "disabledAt", s.after_seq AS "afterSeq", s.failed_attempts AS "failedAttempts", s.next_attempt_at AS "nextAttemptAt",
  s.last_delivered_at AS "lastDeliveredAt", CASE WHEN s.previous_secret_until > now() THEN s.previous_secret_until END AS "previousSecretUntil",
  s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

/** Releases a worker's lease, so a change of cursor or secret is seen by the next delivery. */
const BREAK_LEASE = `lease_owner = NULL, lease_until = NULL`;

/** Webhook subscriptions as their owners and the office see and change them. */
@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectDataSource('measures') private readonly dataSource: DataSource) {}

  /** A new subscription, its cursor at the current end of its organisation's changes: no history unless replayed. */
  async insert(
    m: EntityManager,
    s: { id: string; organization: string; url: string; types: string[]; sealedSecret: string },
  ): Promise<SubscriptionRow> {
    await m.query(
      `INSERT INTO webhook_subscriptions (id, organization, url, types, secret, after_seq)
       VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(seq), 0) FROM task_changes WHERE organization = $2))`,
      [s.id, s.organization, s.url, s.types, s.sealedSecret],
    );
    return (await this.one(s.id, s.organization, m))!;
  }

  async countOf(m: EntityManager, organization: string): Promise<number> {
    const [row] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM webhook_subscriptions WHERE organization = $1`,
      [organization],
    );
    return row.n;
  }

  /** One subscription; `organization` restricts it to its owner. */
  async one(
    id: string,
    organization: string,
    m: EntityManager | DataSource = this.dataSource,
  ): Promise<SubscriptionRow | undefined> {
    const [row] = await m.query<SubscriptionRow[]>(
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
    return this.dataSource.query<SubscriptionRow[]>(
      `SELECT ${COLUMNS} FROM webhook_subscriptions s JOIN organizations o ON o.code = s.organization
       WHERE ${where.join(' AND ')} ORDER BY s.seq LIMIT ${param(f.limit)}`,
      values,
    );
  }

  async delete(m: EntityManager, id: string, organization: string): Promise<boolean> {
    const [, deleted] = await m.query<[unknown[], number]>(
      `DELETE FROM webhook_subscriptions WHERE id = $1 AND organization = $2`,
      [id, organization],
    );
    return deleted === 1;
  }

  /** The new secret signs from now on; the current one goes on signing alongside until `previousUntil`. */
  async rotate(
    m: EntityManager,
    id: string,
    organization: string,
    sealedSecret: string,
    previousUntil: Date,
  ): Promise<boolean> {
    const [rows] = await m.query<[{ id: string }[], number]>(
      `UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_until = $4, secret = $3, ${BREAK_LEASE}, updated_at = now()
       WHERE id = $1 AND organization = $2 RETURNING id`,
      [id, organization, sealedSecret, previousUntil],
    );
    return rows.length === 1;
  }

  /** Active again, from where it stopped: the change it failed on is attempted first, the retry count reset. */
  async enable(m: EntityManager, id: string, organization: string): Promise<boolean> {
    const [rows] = await m.query<[{ id: string }[], number]>(
      `UPDATE webhook_subscriptions SET status = 'active', disabled_reason = NULL, disabled_detail = NULL, disabled_at = NULL,
         failed_attempts = 0, next_attempt_at = now(), ${BREAK_LEASE}, updated_at = now()
       WHERE id = $1 AND organization = $2 AND status = 'disabled' RETURNING id`,
      [id, organization],
    );
    return rows.length === 1;
  }

  /**
   * Moves the cursor back to just before the first of the organisation's changes made at or after
   * `since` (never forward); returns that cursor, or null when there was nothing to move back to.
   * Changes are time-stamped when their transaction began, so their times are in `seq` order only to
   * within a transaction's length: the search looks back ten minutes further than `since`.
   */
  async rewind(m: EntityManager, id: string, organization: string, since: Date): Promise<string | null> {
    const [rows] = await m.query<[{ afterSeq: string }[], number]>(
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
  deliveries(id: string, afterSeq: string, limit: number): Promise<Record<string, unknown>[]> {
    return this.dataSource.query<Record<string, unknown>[]>(
      `SELECT seq, webhook_id AS "webhookId", change_seq AS "changeSeq", change_type AS "changeType", attempt, status_code AS "statusCode",
              error, latency_ms AS "latencyMs", succeeded, attempted_at AS "attemptedAt"
       FROM webhook_deliveries WHERE subscription_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [id, afterSeq, limit],
    );
  }

  async organizationExists(code: string, m: EntityManager | DataSource = this.dataSource): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM organizations WHERE code = $1`, [code]);
    return rows.length === 1;
  }

  async allowedTargets(code: string): Promise<{ targets: string[]; updatedAt: Date | null }> {
    const [row] = await this.dataSource.query<({ targets: string[]; updatedAt: Date } | undefined)[]>(
      `SELECT targets, updated_at AS "updatedAt" FROM webhook_allowed_targets WHERE organization = $1`,
      [code],
    );
    return row ?? { targets: [], updatedAt: null };
  }

  async setAllowedTargets(m: EntityManager, code: string, targets: string[]): Promise<void> {
    await m.query(
      `INSERT INTO webhook_allowed_targets (organization, targets) VALUES ($1, $2)
       ON CONFLICT (organization) DO UPDATE SET targets = EXCLUDED.targets, updated_at = now()`,
      [code, targets],
    );
  }
}
