import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditRecorder } from '@jrp/audit';
import { hasRole, Principal, reachOf } from '@jrp/auth';
import { decodeSeqCursor, FieldValidationException, encodeCursor, cursorPage } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { newWebhookSecret } from './delivery/webhook-signature';
import { WebhookDeliveryWorker } from './delivery/webhook-delivery.worker';
import { CreateSubscriptionDto } from './dto/create-subscription.dto';
import { DisabledReason, SubscriptionsQueryDto } from './dto/subscription-queries.dto';
import { SubscriptionRow, SubscriptionsRepository } from './subscriptions.repository';
import { TargetChecker } from './target-checker';
import { allowEntryProblem } from './target-policy';
import { WebhookSecrets } from './webhook-secrets';

/** Subscriptions an organisation may hold. */
export const MAX_SUBSCRIPTIONS = 20;
/** After a rotation, the replaced secret goes on signing for this long. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;

const STATUS_LABELS = { active: '启用', disabled: '已停用' } as const;
const DISABLED_LABELS: Record<DisabledReason, string> = {
  gone: '接收方答复 410 Gone',
  'retries-exhausted': '重试用尽仍失败',
  'token-revoked': '所用令牌已吊销',
};

/** A subscription as the API shows it: never its secrets. */
export function subscriptionView(row: SubscriptionRow) {
  return {
    id: row.id,
    organization: row.organization,
    url: row.url,
    types: row.types,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    tokenId: row.tokenId,
    ...(row.disabledReason
      ? { disabledReason: row.disabledReason, disabledReasonLabel: DISABLED_LABELS[row.disabledReason] }
      : {}),
    disabledDetail: row.disabledDetail,
    disabledAt: row.disabledAt,
    /** The feed cursor of the last change delivered (or passed over as another type). */
    cursor: encodeCursor(row.afterSeq),
    failedAttempts: row.failedAttempts,
    nextAttemptAt: row.status === 'active' && row.failedAttempts > 0 ? row.nextAttemptAt : null,
    lastDeliveredAt: row.lastDeliveredAt,
    previousSecretExpiresAt: row.previousSecretUntil,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Webhook subscriptions (Webhook 订阅) of implementing organisations: made, rotated, enabled again,
 * replayed and deleted by their owner, each write with its audit record; and the webhook targets the
 * admin allows an organisation.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: SubscriptionsRepository,
    private readonly targets: TargetChecker,
    private readonly secrets: WebhookSecrets,
    private readonly audit: AuditRecorder,
    private readonly worker: WebhookDeliveryWorker,
  ) {}

  /**
   * A new subscription of the caller's organisation from the current end of its changes, acting under the
   * caller's token (revoking that token disables it); its secret is returned this once.
   */
  async create(principal: Principal, dto: CreateSubscriptionDto) {
    const organization = principal.organization.code;
    const target = await this.targets.check(organization, dto.url);
    if ('problem' in target)
      throw new FieldValidationException(
        [{ field: 'url', message: target.problem }],
        'the webhook target is refused: webhooks go to public addresses, or to those the administrator allows',
      );
    const result = await this.uow.run(async () => {
      if ((await this.repository.countOf(organization)) >= MAX_SUBSCRIPTIONS) {
        throw new ConflictException(
          `an organisation holds at most ${MAX_SUBSCRIPTIONS} subscriptions; delete one first`,
        );
      }
      const id = randomUUID();
      const secret = newWebhookSecret();
      const row = await this.repository.insert({
        id,
        organization,
        url: dto.url,
        types: dto.types,
        sealedSecret: this.secrets.seal(id, secret),
        tokenId: principal.tokenId,
      });
      await this.audit.record({
        action: 'webhook-subscription.create',
        objectType: 'webhook-subscription',
        objectId: id,
      });
      return { ...subscriptionView(row), secret };
    });
    this.worker.kick();
    return result;
  }

  /** Subscriptions, oldest first: the caller's own; the provincial office every one, a city office its city's. */
  async list(query: SubscriptionsQueryDto, principal: Principal) {
    const office = hasRole(principal, 'office');
    if (query.organization !== undefined && !office) {
      throw new ForbiddenException('only the office filters by organisation');
    }
    const after = decodeSeqCursor(query.after);
    const rows = await this.repository.list({
      ...reachOf(principal),
      ...(office && query.organization !== undefined ? { organization: query.organization } : {}),
      status: query.status,
      afterSeq: after,
      limit: (query.limit ?? 100) + 1,
    });
    return cursorPage(rows, query.limit ?? 100, after, (r) => r.seq, subscriptionView);
  }

  async get(id: string, organization: string) {
    return subscriptionView(await this.own(id, organization));
  }

  async delete(id: string, organization: string): Promise<void> {
    await this.uow.run(async () => {
      if (!(await this.repository.delete(id, organization))) throw new NotFoundException('no such subscription');
      await this.audit.record({
        action: 'webhook-subscription.delete',
        objectType: 'webhook-subscription',
        objectId: id,
      });
    });
  }

  /** A new secret, returned this once; the one it replaces signs alongside it for SECRET_OVERLAP_MS. */
  async rotateSecret(id: string, organization: string) {
    const secret = newWebhookSecret();
    const until = new Date(Date.now() + SECRET_OVERLAP_MS);
    await this.uow.run(async () => {
      if (!(await this.repository.rotate(id, organization, this.secrets.seal(id, secret), until)))
        throw new NotFoundException('no such subscription');
      await this.audit.record({
        action: 'webhook-subscription.rotate-secret',
        objectType: 'webhook-subscription',
        objectId: id,
      });
    });
    return { id, secret, previousSecretExpiresAt: until.toISOString() };
  }

  /**
   * A disabled subscription resumes from the change it stopped at, now acting under the caller's token
   * (which the guard has just found valid); an active one only moves to the caller's token, so an
   * organisation keeps its subscriptions across a token rotation by enabling them with the new token
   * before the old one is revoked.
   */
  async enable(id: string, principal: Principal) {
    const organization = principal.organization.code;
    await this.uow.run(async () => {
      await this.own(id, organization);
      const outcome = await this.repository.enable(id, organization, principal.tokenId);
      if (outcome !== 'unchanged') {
        await this.audit.record({
          action: outcome === 'enabled' ? 'webhook-subscription.enable' : 'webhook-subscription.bind-token',
          objectType: 'webhook-subscription',
          objectId: id,
        });
      }
    });
    this.worker.kick();
    return this.get(id, organization);
  }

  /** Redelivers the subscription's changes made since `since`, in order, under their webhook ids. */
  async replay(id: string, organization: string, since: Date) {
    const from = await this.uow.run(async () => {
      await this.own(id, organization);
      const cursor = await this.repository.rewind(id, organization, since);
      await this.audit.record({
        action: 'webhook-subscription.replay',
        objectType: 'webhook-subscription',
        objectId: id,
      });
      return cursor;
    });
    this.worker.kick();
    return { replayFrom: from === null ? null : encodeCursor(from), subscription: await this.get(id, organization) };
  }

  async deliveries(id: string, organization: string, afterSeq: string, limit: number) {
    await this.own(id, organization);
    const rows = await this.repository.deliveries(id, afterSeq, limit + 1);
    return cursorPage(
      rows,
      limit,
      afterSeq,
      (r) => r.seq,
      ({ seq, changeSeq, ...r }) => ({ cursor: encodeCursor(seq), ...r, changeCursor: encodeCursor(changeSeq) }),
    );
  }

  async allowedTargets(code: string) {
    if (!(await this.repository.organizationExists(code))) throw new NotFoundException(`no organisation ${code}`);
    return { organization: code, ...(await this.repository.allowedTargets(code)) };
  }

  /** Replaces the organisation's allow-list of webhook targets (hosts, addresses, CIDR ranges). */
  async setAllowedTargets(code: string, targets: string[]) {
    const errors = targets.flatMap((t, i) => {
      const problem = allowEntryProblem(t);
      return problem ? [{ field: `targets.${i}`, message: problem }] : [];
    });
    if (errors.length > 0) throw new FieldValidationException(errors);
    const unique = [...new Set(targets.map((t) => t.toLowerCase()))];
    await this.uow.run(async () => {
      if (!(await this.repository.organizationExists(code))) throw new NotFoundException(`no organisation ${code}`);
      await this.repository.setAllowedTargets(code, unique);
      await this.audit.record({
        action: 'organization.set-webhook-targets',
        objectType: 'organization',
        objectId: code,
      });
    });
    return this.allowedTargets(code);
  }

  private async own(id: string, organization: string): Promise<SubscriptionRow> {
    const row = await this.repository.one(id, organization);
    if (!row) throw new NotFoundException('no such subscription');
    return row;
  }
}
