import { DataSource } from 'typeorm';
import { afterCommit, inTransaction } from '@jrp/database';
import { OutboxService } from './outbox.service';

/**
 * A service's use cases run their writes through here: one transaction of the service's data source
 * (joined when one is already open in this context, see `inTransaction`), in which the rows, the
 * events in the outbox and the audit records commit together; the relay is woken after the commit.
 * Nothing publishes to the bus directly.
 */
export class UnitOfWork {
  constructor(
    readonly dataSource: DataSource,
    /** The service's outbox, for callers that hold only the unit (process-level reports). */
    readonly outbox: OutboxService,
  ) {}

  /** Runs `work` in the transaction; repositories, the outbox and the audit recorder find it by themselves. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, () => {
      afterCommit(this.dataSource, () => this.outbox.wake());
      return work();
    });
  }
}
