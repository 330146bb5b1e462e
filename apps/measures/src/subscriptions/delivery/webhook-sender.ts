import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CheckedTarget } from '../target-policy';

/** What came of one POST: the status code, or why there was none. `stopped`: cut short by shutdown. */
export interface SendOutcome {
  statusCode?: number;
  error?: string;
  latencyMs: number;
  stopped?: boolean;
}

/**
 * POSTs `body` to a checked target, connecting to the address that was checked (the host name still
 * goes in `Host` and in TLS's SNI and certificate check, but is never resolved again: no DNS
 * rebinding). No redirect is followed, no connection reused; the answer's status line must arrive
 * within `timeoutMs`.
 */
export function postWebhook(
  target: CheckedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<SendOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<SendOutcome, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      resolve({ ...outcome, latencyMs: Math.round(performance.now() - started) });
    };
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all)
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address: target.address, family: target.family },
        ]);
      else callback(null, target.address, target.family);
    };
    const request = (target.url.protocol === 'https:' ? https : http).request({
      method: 'POST',
      host: target.host,
      port: target.port,
      path: `${target.url.pathname}${target.url.search}`,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false,
      lookup: pinned,
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const stop = () => {
      request.destroy();
      finish({ error: 'stopped by shutdown', stopped: true });
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    request.on('response', (response) => {
      // only the status counts: the answer's body is not waited for
      finish({ statusCode: response.statusCode });
      request.destroy();
    });
    request.on('error', (error) => finish({ error: error.message }));
    request.end(body);
  });
}
