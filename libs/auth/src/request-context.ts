import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ADMIN_ORGANIZATION, Principal } from './principal';

/** What is known about the HTTP request being served: for audit records and logs. */
export interface RequestContextStore {
  requestId: string;
  sourceAddress: string;
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

export const RequestContext = {
  current(): RequestContextStore | undefined {
    return storage.getStore();
  },
  run<T>(store: RequestContextStore, fn: () => T): T {
    return storage.run(store, fn);
  },
  /** Runs `fn` outside any request: what it schedules does not carry the request's context. */
  exit<T>(fn: () => T): T {
    return storage.exit(fn);
  },
};

/** Who acts as the system administrator outside HTTP: its audit records carry these instead of a token. */
export interface AdministratorActor {
  /** In place of a token id, e.g. `admin-cli`. */
  id: string;
  /** Who, e.g. the operating-system user. */
  label: string;
  /** Where from, e.g. the host name. */
  source: string;
}

/**
 * Runs `work` as the system administrator (JRP-ADMIN) acting without a request: a command-line tool or
 * a process's own first start. Its writes are audited under `actor`, each run under a request id of its own.
 */
export function runAsAdministrator<T>(actor: AdministratorActor, work: () => T): T {
  const principal: Principal = {
    organization: ADMIN_ORGANIZATION,
    roles: ['admin'],
    tokenId: actor.id,
    label: actor.label,
  };
  return storage.run({ requestId: randomUUID(), sourceAddress: actor.source, principal }, work);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Express middleware: takes the caller's (or the proxy's) `X-Request-Id` when it is well-formed,
 * otherwise makes one, returns it in the response, and serves the request inside its context.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  storage.run({ requestId, sourceAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown' }, next);
}
