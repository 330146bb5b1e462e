import { BaseRpcContext } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import type { CloudEvent } from '@jrp/contracts';
import { OutboxService } from '../outbox/outbox.service';

/**
 * What an event handler gets besides the payload: the envelope, and the transaction in which the
 * inbox row was written. Effects and outgoing events written through `manager` and `outbox` commit
 * or roll back together with the inbox row.
 */
export class ConsumerContext extends BaseRpcContext<[CloudEvent, EntityManager, OutboxService]> {
  get event(): CloudEvent {
    return this.args[0];
  }
  get manager(): EntityManager {
    return this.args[1];
  }
  get outbox(): OutboxService {
    return this.args[2];
  }
}

/** What a batch handler gets besides the payloads: their envelopes, in order, and the transaction. */
export class BatchConsumerContext extends BaseRpcContext<[CloudEvent[], EntityManager, OutboxService]> {
  get events(): CloudEvent[] {
    return this.args[0];
  }
  get manager(): EntityManager {
    return this.args[1];
  }
  get outbox(): OutboxService {
    return this.args[2];
  }
}
