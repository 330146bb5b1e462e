import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from './outbox.service';

/**
 * Runs a state change and its outbox rows in one transaction, then wakes the relay.
 * Every write path of a service goes through here; nothing publishes to the bus directly.
 */
export class UnitOfWork {
  constructor(
    readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  async run<T>(work: (manager: EntityManager, outbox: OutboxService) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction((manager) => work(manager, this.outbox));
    this.outbox.wake();
    return result;
  }
}
