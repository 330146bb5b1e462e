import { AsyncLocalStorage } from 'node:async_hooks';

interface CorrelationStore {
  id?: string;
  /** In a batch handler: the correlation id of each input event, by the key its outgoing events carry. */
  byKey?: ReadonlyMap<string, string>;
}

const storage = new AsyncLocalStorage<CorrelationStore>();

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
  /** The id for an outgoing event with this message key: its input event's in a batch, else the current one. */
  forKey(key: string): string | undefined {
    const store = storage.getStore();
    return store?.byKey?.get(key) ?? store?.id;
  },
  run<T>(id: string | undefined, fn: () => T): T {
    return storage.run({ id }, fn);
  },
  /** Runs a batch handler: `byKey` tells each outgoing event's correlation id by its message key. */
  runBatch<T>(id: string | undefined, byKey: ReadonlyMap<string, string>, fn: () => T): T {
    return storage.run({ id, byKey }, fn);
  },
};

/** What an incoming `X-Request-Id` must look like to be kept as the correlation id. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;
