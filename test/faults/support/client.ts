import { randomUUID } from 'node:crypto';

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  attempts: number;
}

export interface ClientStats {
  requests: number;
  retries: number;
}

/** Why a request is given up on: the suite fails rather than pretend the change was made. */
export class GaveUp extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An HTTP client that behaves like a department's integration: it retries what may not have reached the
 * service or may not have been applied — connection errors, timeouts, 5xx (503 included) and 429 — with
 * capped exponential backoff, for as long as `patienceMs`. `retryWhile` lets the caller retry other
 * answers (feedback on a task the feedback service has not learnt of yet, a key still in progress).
 */
export class RetryingClient {
  readonly stats: ClientStats = { requests: 0, retries: 0 };

  constructor(
    private readonly baseUrl: (path: string) => string,
    private readonly patienceMs = 240_000,
  ) {}

  async send(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    options: {
      idempotencyKey?: string;
      retryWhile?: (a: Answer) => boolean;
      timeoutMs?: number;
      patienceMs?: number;
    } = {},
  ): Promise<Answer> {
    const deadline = Date.now() + (options.patienceMs ?? this.patienceMs);
    let last = '';
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        this.stats.retries++;
        if (Date.now() > deadline)
          throw new GaveUp(`${method} ${path}: gave up after ${attempt - 1} attempts (last: ${last})`);
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt - 2, 5)) * (0.75 + Math.random() / 2));
      }
      this.stats.requests++;
      let res: Response;
      try {
        res = await fetch(`${this.baseUrl(path)}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            'X-Request-Id': randomUUID(),
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            ...(options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        last = `${(error as Error).name}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`;
        continue; // refused, reset or timed out: the change may or may not have been made
      }
      const text = await res.text().catch(() => '');
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      const answer: Answer = { status: res.status, body: parsed, attempts: attempt };
      if (res.status >= 500 || res.status === 429 || options.retryWhile?.(answer)) {
        last = `${res.status} ${text.slice(0, 200)}`;
        continue;
      }
      return answer;
    }
  }
}
