import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

interface Scope {
  manager: EntityManager;
  /** False once the transaction (or the hold on the connection) has ended: work still running opens its own. */
  open: boolean;
  /** False for a connection held without a transaction (`onConnection`): each statement commits alone. */
  transaction: boolean;
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
  const outer = openScope(dataSource);
  if (outer?.transaction) return work();
  const afterCommit: (() => void)[] = [];
  let scope: Scope | undefined;
  try {
    // on the connection held here (`onConnection`), if any; else on one from the pool
    const result = await (outer?.manager ?? dataSource.manager).transaction((manager) => {
      scope = { manager, open: true, transaction: true, afterCommit };
      return scopes.run(withScope(dataSource, scope), work);
    });
    for (const callback of afterCommit) callback();
    return result;
  } finally {
    if (scope) scope.open = false;
  }
}

/**
 * Runs `work` with `runner`'s connection as the one its statements of `dataSource` use, outside a
 * transaction: each statement commits alone, and `inTransaction` inside it opens one on that connection.
 * For work that must stay on one session between its statements (the relay, which holds a session's
 * advisory lock while it leads); the caller connects and releases `runner`.
 */
export async function onConnection<T>(dataSource: DataSource, runner: QueryRunner, work: () => Promise<T>): Promise<T> {
  const scope: Scope = { manager: runner.manager, open: true, transaction: false, afterCommit: [] };
  try {
    return await scopes.run(withScope(dataSource, scope), work);
  } finally {
    scope.open = false;
  }
}

function withScope(dataSource: DataSource, scope: Scope): ReadonlyMap<DataSource, Scope> {
  const next = new Map(scopes.getStore() ?? []);
  next.set(dataSource, scope);
  return next;
}

/** The manager of the transaction open for `dataSource` here, or, outside one, its own (each statement commits alone). */
export function currentManager(dataSource: DataSource): EntityManager {
  return openScope(dataSource)?.manager ?? dataSource.manager;
}

/** The manager of the transaction open for `dataSource` here; throws outside one (writes that must commit with others). */
export function transactionManager(dataSource: DataSource): EntityManager {
  const scope = openScope(dataSource);
  if (!scope?.transaction) throw new Error(`no transaction of ${dataSource.name || 'the data source'} is open here`);
  return scope.manager;
}

/** Runs `callback` once the transaction open for `dataSource` has committed, or now when none is open. */
export function afterCommit(dataSource: DataSource, callback: () => void): void {
  const scope = openScope(dataSource);
  if (scope?.transaction) scope.afterCommit.push(callback);
  else callback();
}

/**
 * Runs `work` with no transaction open in its context, for any data source: what it starts (a bus
 * delivering to consumers in this process, say) opens its own transactions instead of joining the caller's.
 */
export function outsideTransactions<T>(work: () => T): T {
  return scopes.exit(work);
}
