import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxService } from './outbox.service';

interface SharedTransaction {
  dataSource: DataSource;
  manager: EntityManager;
  open: boolean;
  afterCommit: (() => void)[];
}

const shared = new AsyncLocalStorage<SharedTransaction>();

/**
 * Runs `work` in one transaction of `dataSource` that every UnitOfWork of that data source joins instead
 * of opening its own, so what the caller writes with `manager` commits together with the work's changes
 * and events, or none of it does. The relays are woken once it has committed. (An idempotent request's
 * stored answer and its effects, see the Idempotency-Key interceptor.)
 */
export async function inSharedTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const afterCommit: (() => void)[] = [];
  let scope: SharedTransaction | undefined;
  try {
    const result = await dataSource.transaction((manager) => {
      scope = { dataSource, manager, open: true, afterCommit };
      return shared.run(scope, () => work(manager));
    });
    afterCommit.forEach((wake) => wake());
    return result;
  } finally {
    if (scope) scope.open = false; // work started in the background and finishing later opens its own
  }
}

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
    const joined = shared.getStore();
    if (joined?.open && joined.dataSource === this.dataSource) {
      const result = await work(joined.manager, this.outbox);
      joined.afterCommit.push(() => this.outbox.wake());
      return result;
    }
    const result = await this.dataSource.transaction((manager) => work(manager, this.outbox));
    this.outbox.wake();
    return result;
  }
}
