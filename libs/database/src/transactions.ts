import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

interface Scope {
  manager: EntityManager;
  /** False once the transaction has ended: work started in it and still running opens its own. */
  open: boolean;
  afterCommit: (() => void)[];
}

/** The transactions open in the current asynchronous context, one per data source (standalone holds three). */
const scopes = new AsyncLocalStorage<ReadonlyMap<DataSource, Scope>>();

function openScope(dataSource: DataSource): Scope | undefined {
  const scope = scopes.getStore()?.get(dataSource);
  return scope?.open ? scope : undefined;
}

/**
 * Runs `work` in a transaction of `dataSource`, or inside the one already open for it in this
 * asynchronous context, so that everything a use case writes (its rows, its events in the outbox, its
 * audit records) commits together or not at all. Repositories find the transaction through
 * `currentManager`; nobody passes it by hand. Callbacks given to `afterCommit` run once the outermost
 * transaction has committed (never after a rollback).
 */
export async function inTransaction<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (openScope(dataSource)) return work();
  const afterCommit: (() => void)[] = [];
  let scope: Scope | undefined;
  try {
    const result = await dataSource.transaction((manager) => {
      scope = { manager, open: true, afterCommit };
      const next = new Map(scopes.getStore() ?? []);
      next.set(dataSource, scope);
      return scopes.run(next, work);
    });
    for (const callback of afterCommit) callback();
    return result;
  } finally {
    if (scope) scope.open = false;
  }
}

/** The manager of the transaction open for `dataSource` here, or, outside one, its own (each statement commits alone). */
export function currentManager(dataSource: DataSource): EntityManager {
  return openScope(dataSource)?.manager ?? dataSource.manager;
}

/** The manager of the transaction open for `dataSource` here; throws outside one (writes that must commit with others). */
export function transactionManager(dataSource: DataSource): EntityManager {
  const scope = openScope(dataSource);
  if (!scope) throw new Error(`no transaction of ${dataSource.name || 'the data source'} is open here`);
  return scope.manager;
}

/** Runs `callback` once the transaction open for `dataSource` has committed, or now when none is open. */
export function afterCommit(dataSource: DataSource, callback: () => void): void {
  const scope = openScope(dataSource);
  if (scope) scope.afterCommit.push(callback);
  else callback();
}

/**
 * Runs `work` with no transaction open in its context, for any data source: what it starts (a bus
 * delivering to consumers in this process, say) opens its own transactions instead of joining the caller's.
 */
export function outsideTransactions<T>(work: () => T): T {
  return scopes.exit(work);
}
