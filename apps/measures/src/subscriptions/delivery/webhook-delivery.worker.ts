import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JrpConfig } from '@jrp/config';
import { eventIdOf, TaskEventOfChange } from '@jrp/contracts';
import { Metrics } from '@jrp/messaging';
import { feedItem } from '../../tasks/feed/feed-item';
import { TaskChangeNotifier } from '../../tasks/feed/task-change-notifier';
import { FeedChange } from '../../tasks/feed/task-feed.repository';
import { TargetChecker } from '../target-checker';
import { WebhookSecrets } from '../webhook-secrets';
import { Attempt, DeliveryRepository, Lease } from './delivery.repository';
import { afterFailure } from './retry-schedule';
import { postWebhook, SendOutcome } from './webhook-sender';
import { signWebhook } from './webhook-signature';

/** Deliveries in flight at once per process; each holds one subscription's lease. */
export const DELIVERY_CONCURRENCY = 8;
/** How long a receiver has to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A lease outlives any one attempt; every success renews it. */
const LEASE_SECONDS = 60;
/** Deliveries under one lease before the subscription goes back in the queue (fairness). */
const DELIVERIES_PER_LEASE = 100;
const BATCH = 50;
/** The safety net under the notifications: a look for due work at least this often. */
const POLL_MS = 10_000;

/** The webhook id of a change: its task event's id, the same on every retry and replay. */
export const webhookIdOf = (change: FeedChange) =>
  eventIdOf('task', change.task.taskId, change.task.version, TaskEventOfChange[change.type]);

/** The body of a delivery (Standard Webhooks' shape), the change as the feed shows it. */
export const webhookBody = (change: FeedChange) =>
  JSON.stringify({ type: `task.${change.type}`, timestamp: change.task.changedAt, data: feedItem(change) });

/**
 * Pushes each subscription's task changes to its URL, signed (Standard Webhooks), at least once and
 * strictly in order per subscription: the cursor moves only past a change whose delivery succeeded, in
 * the transaction that logs it; a failing change holds back the ones behind it (head of line) and is
 * retried on the schedule (JRP_WEBHOOK_RETRY_SCHEDULE) until it succeeds or the subscription is
 * disabled. Subscriptions are independent: each delivery holds a lease on one subscription, a bounded
 * pool runs them side by side, and a receiver has DELIVERY_TIMEOUT_MS to answer, so a slow one
 * delays only itself. Every replica runs a worker; leases (FOR UPDATE SKIP LOCKED) share the work.
 * Woken by task change notifications, by the API (new, enabled or replayed subscriptions) and when
 * the next retry falls due, with a slow poll under it all. Before every attempt it checks that the
 * subscription is still active and its token not revoked, so nothing goes out after a revocation.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private loop?: Promise<void>;
  private unsubscribe?: () => void;
  /** Organisations with active subscriptions: their task changes wake the worker. */
  private interest = new Set<string>();
  private woken = false;
  private wake?: () => void;

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly notifier: TaskChangeNotifier,
    private readonly targets: TargetChecker,
    private readonly secrets: WebhookSecrets,
    @Inject(JrpConfig) private readonly config: JrpConfig,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.notifier.subscribe((organizations) => {
      if (organizations === '*' || [...organizations].some((o) => this.interest.has(o))) this.kick();
    });
    this.loop = this.run();
  }

  /** Stops taking work, cuts in-flight attempts short (they are not logged and will be made again) and lets their leases go. */
  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    this.stopping.abort();
    this.kick();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Look for due work now (a subscription was made, enabled or replayed). */
  kick(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      this.woken = false;
      let sleepMs = POLL_MS;
      try {
        const free = DELIVERY_CONCURRENCY - this.inFlight.size;
        if (free > 0)
          for (const lease of await this.repository.claim(randomUUID(), free, LEASE_SECONDS)) this.start(lease);
        const outlook = await this.repository.outlook();
        this.interest = new Set(outlook.organizations);
        if (outlook.nextDueMs !== null) sleepMs = Math.min(sleepMs, Math.max(outlook.nextDueMs, 0));
      } catch (error) {
        if (!this.stopping.signal.aborted)
          this.logger.warn(`looking for webhook deliveries failed: ${(error as Error).message}`);
      }
      await this.sleep(sleepMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopping.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private start(lease: Lease): void {
    const work: Promise<void> = this.deliver(lease)
      .catch((error) => this.logger.error(`webhook subscription ${lease.id}: ${(error as Error).message}`))
      .finally(() => {
        this.inFlight.delete(work);
        this.kick();
      });
    this.inFlight.add(work);
  }

  /** Delivers the leased subscription's changes in order until none is left, one fails, or the lease's share is used. */
  private async deliver(lease: Lease): Promise<void> {
    const secrets = [lease.sealedSecret, ...(lease.sealedPreviousSecret ? [lease.sealedPreviousSecret] : [])].map((s) =>
      this.secrets.open(lease.id, s),
    );
    let cursor = lease.afterSeq;
    let failedAttempts = lease.failedAttempts;
    let delivered = 0;
    while (delivered < DELIVERIES_PER_LEASE) {
      const { changes, scannedTo } = await this.repository.pending(
        lease.organization,
        cursor,
        lease.types,
        Math.min(BATCH, DELIVERIES_PER_LEASE - delivered),
      );
      if (changes.length === 0) return this.repository.release(lease, scannedTo);
      for (const [i, change] of changes.entries()) {
        if (this.stopping.signal.aborted) return this.repository.release(lease);
        // before every attempt: nothing goes out for a subscription disabled meanwhile or whose token was revoked
        const may = await this.repository.mayDeliver(lease);
        if (may === 'token-revoked')
          this.logger.warn(`webhook subscription ${lease.id} (${lease.organization}) disabled: its token was revoked`);
        if (may !== 'deliver') return;
        const attempt = await this.attempt(lease, secrets, change, failedAttempts + 1);
        if (attempt.stopped) return this.repository.release(lease);
        if (attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300) {
          const next = i === changes.length - 1 ? scannedTo : change.seq;
          if (!(await this.repository.succeeded(lease, attempt, next, LEASE_SECONDS))) return;
          cursor = next;
          failedAttempts = 0;
          delivered++;
          continue;
        }
        return this.fail(lease, attempt);
      }
    }
    await this.repository.release(lease);
  }

  private async attempt(
    lease: Lease,
    secrets: string[],
    change: FeedChange,
    attempt: number,
  ): Promise<Attempt & { stopped?: boolean }> {
    const webhookId = webhookIdOf(change);
    const base = { webhookId, change, attempt };
    const target = await this.targets.check(lease.organization, lease.url);
    if ('problem' in target)
      return { ...base, error: `target refused before connecting: ${target.problem}`, latencyMs: 0 };
    const body = webhookBody(change);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'jrp-webhooks/1',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secrets, webhookId, timestamp, body),
    };
    const outcome: SendOutcome = await postWebhook(target, headers, body, DELIVERY_TIMEOUT_MS, this.stopping.signal);
    return { ...base, ...outcome };
  }

  /** 410 Gone disables at once; otherwise the next attempt waits its turn in the schedule, or the schedule is spent. */
  private async fail(lease: Lease, attempt: Attempt): Promise<void> {
    const answer = attempt.statusCode !== undefined ? `HTTP ${attempt.statusCode}` : attempt.error;
    const reason =
      attempt.statusCode === 410
        ? 'gone'
        : attempt.statusCode !== undefined
          ? `http_${Math.floor(attempt.statusCode / 100)}xx`
          : 'error';
    this.metrics.webhookDeliveryFailures.inc({ organization: lease.organization, reason });
    if (attempt.statusCode === 410) {
      this.logger.warn(
        `webhook subscription ${lease.id} (${lease.organization}) disabled: the receiver answered 410 Gone`,
      );
      return this.repository.disabled(lease, attempt, 'gone', 'the receiver answered 410 Gone');
    }
    const next = afterFailure(this.config.webhookRetrySchedule, attempt.attempt);
    if ('exhausted' in next) {
      const detail = `${attempt.attempt} attempts at one change failed, the last: ${answer}`;
      this.logger.warn(`webhook subscription ${lease.id} (${lease.organization}) disabled: ${detail}`);
      return this.repository.disabled(lease, attempt, 'retries-exhausted', detail);
    }
    await this.repository.failed(lease, attempt, next.retryInMs);
  }
}
