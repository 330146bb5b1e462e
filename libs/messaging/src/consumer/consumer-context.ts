import { BaseRpcContext } from '@nestjs/microservices';
import type { CloudEvent } from '@jrp/contracts';

/**
 * What an event handler gets besides the payload: the envelope. The handler runs in the transaction in
 * which the inbox row was written; the repositories and the outbox it uses find that transaction by
 * themselves (see `inTransaction`), so its effects and outgoing events commit or roll back with the row.
 */
export class ConsumerContext extends BaseRpcContext<[CloudEvent]> {
  get event(): CloudEvent {
    return this.args[0];
  }
}

/** What a batch handler gets besides the payloads: their envelopes, in order. */
export class BatchConsumerContext extends BaseRpcContext<[CloudEvent[]]> {
  get events(): CloudEvent[] {
    return this.args[0];
  }
}
