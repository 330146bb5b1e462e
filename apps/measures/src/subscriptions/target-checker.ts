import { Inject, Injectable, Logger } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { JrpConfig } from '@jrp/config';
import { SubscriptionsRepository } from './subscriptions.repository';
import { AllowList, CheckedTarget, decideTarget, parseTargetUrl } from './target-policy';

/**
 * Applies the target policy with what it needs from outside: the host's addresses (DNS, unless the
 * URL names an address) and the allow-lists (configuration, and the organisation's own kept by the
 * admin). Checked when a subscription is made and again before every delivery attempt. A refusal tells
 * the caller "target not allowed" only; why (the kind of address, what the host resolved to) goes to
 * the server's log, for the operator.
 */
@Injectable()
export class TargetChecker {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @Inject(JrpConfig) private readonly config: JrpConfig,
    private readonly subscriptions: SubscriptionsRepository,
  ) {}

  async check(organization: string, rawUrl: string): Promise<CheckedTarget | { problem: string }> {
    const target = parseTargetUrl(rawUrl);
    if ('problem' in target) return target;
    const { targets } = await this.subscriptions.allowedTargets(organization);
    const allow = new AllowList([...this.config.webhookAllowedTargets, ...targets]);
    let addresses: string[];
    try {
      addresses = target.literal
        ? [target.host]
        : (await lookup(target.host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      addresses = [];
    }
    const decision = decideTarget(target, addresses, allow);
    if ('reason' in decision) {
      this.logger.log(`webhook target of ${organization} refused: ${decision.reason}`);
      return { problem: decision.problem };
    }
    return decision;
  }
}
