import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<{ id?: string }>();

/**
 * The correlation id of the work being done: the HTTP request's `X-Request-Id`, or, while a consumer
 * handles an event, the `correlationid` the event carries. The outbox stamps it on every event it
 * writes and the logger prints it, so one request's log lines and those of every service handling its
 * events share it.
 */
export const Correlation = {
  current(): string | undefined {
    return storage.getStore()?.id;
  },
  run<T>(id: string | undefined, fn: () => T): T {
    return storage.run({ id }, fn);
  },
};

/** What an incoming `X-Request-Id` must look like to be kept as the correlation id. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;
