import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Principal } from './principal';

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
};

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
