import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRepository, inTransaction } from '@jrp/database';
import { FeedChange } from '../../tasks/feed/task-feed.repository';
import { tokenRevokedDetail, webhookDeliveries } from '../subscriptions.repository';

/** A subscription a worker holds the delivery lease of. Secrets as stored (sealed). */
export interface Lease {
  id: string;
  owner: string;
  organization: string;
  url: string;
  types: string[];
  sealedSecret: string;
  /** Still signing alongside the current one (a rotation's overlap), else null. */
  sealedPreviousSecret: string | null;
  afterSeq: string;
  failedAttempts: number;
}

/** One attempt as the delivery log keeps it. */
export interface Attempt {
  webhookId: string;
  change: FeedChange;
  attempt: number;
  statusCode?: number;
  error?: string;
  latencyMs: number;
}

/**
 * The delivery worker's SQL. A worker takes a subscription's lease (owner + expiry, claimed with
 * FOR UPDATE SKIP LOCKED, so replicas never hold the same one) and every write it makes afterwards
 * checks it still holds the lease: a lease broken by a replay, a rotation or a deletion stops it.
 */
@Injectable()
export class DeliveryRepository extends DatabaseRepository {
  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    super(dataSource);
  }

  /** Leases up to `n` active subscriptions that are due and have a matching change after their cursor, to `owner`. */
  async claim(owner: string, n: number, leaseSeconds: number): Promise<Lease[]> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count]
    const [leases] = await this.query<[Lease[], number]>(
      `WITH due AS (
         SELECT w.id FROM webhook_subscriptions w
         WHERE w.status = 'active' AND w.next_attempt_at <= now() AND (w.lease_until IS NULL OR w.lease_until < now())
           AND EXISTS (SELECT 1 FROM task_changes c WHERE c.organization = w.organization AND c.seq > w.after_seq AND c.type = ANY (w.types))
         ORDER BY w.next_attempt_at LIMIT $2
         FOR UPDATE OF w SKIP LOCKED
       )
       UPDATE webhook_subscriptions s SET lease_owner = $1, lease_until = now() + make_interval(secs => $3)
       FROM due WHERE s.id = due.id
       RETURNING s.id, s.lease_owner AS owner, s.organization, s.url, s.types, s.secret AS "sealedSecret",
         CASE WHEN s.previous_secret_until > now() THEN s.previous_secret END AS "sealedPreviousSecret",
         s.after_seq AS "afterSeq", s.failed_attempts AS "failedAttempts"`,
      [owner, n, leaseSeconds],
    );
    return leases;
  }

  /**
   * The organisation's changes of `types` after `afterSeq`, oldest first, and how far they were
   * looked for: when fewer than `limit` came back, up to the organisation's last change (read in the
   * same snapshot, and `seq` order is commit order), so the cursor can skip the changes of other types.
   */
  async pending(
    organization: string,
    afterSeq: string,
    types: string[],
    limit: number,
  ): Promise<{ changes: FeedChange[]; scannedTo: string }> {
    const rows = await this.query<(FeedChange & { last: string })[]>(
      `WITH last AS (SELECT coalesce(max(seq), 0) AS seq FROM task_changes WHERE organization = $1)
       SELECT c.seq, c.type, c.task, last.seq AS last FROM last
       LEFT JOIN LATERAL (
         SELECT seq, type, task FROM task_changes WHERE organization = $1 AND seq > $2 AND type = ANY ($3) ORDER BY seq LIMIT $4
       ) c ON true
       ORDER BY c.seq`,
      [organization, afterSeq, types, limit],
    );
    const changes = rows.filter((r) => r.seq !== null).map(({ seq, type, task }) => ({ seq, type, task }));
    const last = rows[0]?.last ?? afterSeq;
    const scannedTo =
      changes.length === limit ? changes[changes.length - 1].seq : BigInt(last) > BigInt(afterSeq) ? last : afterSeq;
    return { changes, scannedTo };
  }

  /**
   * Records a successful attempt and moves the cursor to `cursor`, in one transaction; renews the
   * lease. False when the lease was lost (nothing moved; the attempt is still logged).
   */
  async succeeded(lease: Lease, attempt: Attempt, cursor: string, leaseSeconds: number): Promise<boolean> {
    return inTransaction(this.dataSource, async () => {
      const [rows] = await this.query<[{ id: string }[], number]>(
        `UPDATE webhook_subscriptions SET after_seq = $3, failed_attempts = 0, next_attempt_at = now(), last_delivered_at = now(),
           lease_until = now() + make_interval(secs => $4), updated_at = now()
         WHERE id = $1 AND lease_owner = $2 RETURNING id`,
        [lease.id, lease.owner, cursor, leaseSeconds],
      );
      await this.log(lease.id, attempt, true);
      return rows.length === 1;
    });
  }

  /** Records a failed attempt and lets the lease go: the change is tried again `retryInMs` from now. */
  async failed(lease: Lease, attempt: Attempt, retryInMs: number): Promise<void> {
    await inTransaction(this.dataSource, async () => {
      await this.query(
        `UPDATE webhook_subscriptions SET failed_attempts = $3, next_attempt_at = now() + $4 * interval '1 millisecond',
           lease_owner = NULL, lease_until = NULL, updated_at = now()
         WHERE id = $1 AND lease_owner = $2`,
        [lease.id, lease.owner, attempt.attempt, retryInMs],
      );
      await this.log(lease.id, attempt, false);
    });
  }

  /** Records the attempt that ends it: the subscription is disabled, its cursor still before the change. */
  async disabled(lease: Lease, attempt: Attempt, reason: 'gone' | 'retries-exhausted', detail: string): Promise<void> {
    await inTransaction(this.dataSource, async () => {
      await this.query(
        `UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = $3, disabled_detail = $4, disabled_at = now(),
           failed_attempts = $5, lease_owner = NULL, lease_until = NULL, updated_at = now()
         WHERE id = $1 AND lease_owner = $2`,
        [lease.id, lease.owner, reason, detail, attempt.attempt],
      );
      await this.log(lease.id, attempt, false);
    });
  }

  /**
   * Checked before every attempt: `deliver` while the subscription is active, still held by this lease and
   * its token not revoked; `stop` when it was disabled, deleted or its lease lost. A subscription whose
   * token is revoked (one that escaped the revocation's own disabling, made under the token as it was being
   * revoked) is disabled here, with no attempt: `token-revoked`.
   */
  async mayDeliver(lease: Lease): Promise<'deliver' | 'stop' | 'token-revoked'> {
    const [row] = await this.query<{ held: boolean; revokedAt: Date | null }[]>(
      `SELECT s.status = 'active' AND s.lease_owner IS NOT DISTINCT FROM $2::uuid AS held, t.revoked_at AS "revokedAt"
       FROM webhook_subscriptions s LEFT JOIN tokens t ON t.id = s.token_id WHERE s.id = $1`,
      [lease.id, lease.owner],
    );
    if (!row) return 'stop';
    if (row.revokedAt) {
      await this.query(
        `UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = 'token-revoked', disabled_detail = $2,
           disabled_at = now(), lease_owner = NULL, lease_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'active'`,
        [lease.id, tokenRevokedDetail(new Date(row.revokedAt).toISOString())],
      );
      return 'token-revoked';
    }
    return row.held ? 'deliver' : 'stop';
  }

  /** Lets the lease go, the subscription due again at once; `cursor` skips changes of other types. */
  async release(lease: Lease, cursor?: string): Promise<void> {
    await this.query(
      `UPDATE webhook_subscriptions SET after_seq = coalesce($3, after_seq), lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2`,
      [lease.id, lease.owner, cursor ?? null],
    );
  }

  /**
   * What the worker needs to plan its sleep: the organisations with active subscriptions (whose task
   * changes should wake it) and the milliseconds until the next retry falls due (null: none waiting).
   */
  async outlook(): Promise<{ organizations: string[]; nextDueMs: number | null }> {
    const [row] = await this.query<{ organizations: string[]; nextDueMs: number | null }[]>(
      `SELECT coalesce(array_agg(DISTINCT organization), '{}') AS organizations,
              ceil(extract(epoch FROM min(next_attempt_at) FILTER (WHERE next_attempt_at > now()) - now()) * 1000)::float8 AS "nextDueMs"
       FROM webhook_subscriptions WHERE status = 'active'`,
    );
    return { organizations: row.organizations, nextDueMs: row.nextDueMs };
  }

  private async log(subscriptionId: string, a: Attempt, succeeded: boolean): Promise<void> {
    // a subscription deleted meanwhile takes its log with it: nothing to write
    await this.query(
      `INSERT INTO webhook_deliveries (${webhookDeliveries.columnList()})
       SELECT ${webhookDeliveries.placeholders(1)} WHERE EXISTS (SELECT 1 FROM webhook_subscriptions WHERE id = $1)`,
      webhookDeliveries.valuesOf({
        seq: '',
        subscriptionId,
        webhookId: a.webhookId,
        changeSeq: a.change.seq,
        changeType: a.change.type,
        attempt: a.attempt,
        statusCode: a.statusCode ?? null,
        error: a.error ?? null,
        latencyMs: a.latencyMs,
        succeeded,
        attemptedAt: new Date(),
      }),
    );
  }
}
