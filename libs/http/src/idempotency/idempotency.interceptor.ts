import {
  BadRequestException,
  CallHandler,
  ConflictException,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Principal } from '@jrp/auth';
import { inTransaction } from '@jrp/database';
import { IdempotencyRepository } from './idempotency.repository';

/** The data source whose `idempotency_keys` table a service's interceptor uses. */
export const IDEMPOTENCY_DATA_SOURCE = Symbol('idempotency data source');

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on writes: the first request with a key (per organisation) runs; a repeat with the
 * same body gets the first result again (`Idempotent-Replayed: true`); a repeat with another body is
 * 422; a repeat while the first still runs is 409. Keys are kept for 24 hours.
 *
 * The first request runs in ONE transaction with its key: the service's units of work join it, and the
 * answer is stored in it before it commits. Its effects and its stored answer commit together or not at
 * all: a request that fails, or a process that dies half-way (its connection closes, the transaction
 * rolls back), leaves the key free for the retry, and a request that committed is never run twice. While
 * it runs it holds a transaction-scoped advisory lock on the key, which is how a repeat knows.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  private readonly keys: IdempotencyRepository;

  constructor(@Inject(IDEMPOTENCY_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.keys = new IdempotencyRepository(dataSource);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { principal?: Principal }>();
    const res = http.getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (key === undefined || req.method === 'GET' || !req.principal) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new BadRequestException({
        detail: 'Idempotency-Key must be 1–255 visible ASCII characters',
        errors: [{ field: 'Idempotency-Key', message: 'is not valid' }],
      });
    }
    const organization = req.principal.organization.code;
    const hash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    return from(
      this.slot(() =>
        inTransaction(this.dataSource, () =>
          this.once(organization, key, hash, res, () => lastValueFrom(next.handle(), { defaultValue: undefined })),
        ),
      ),
    );
  }

  /** Runs the first request with the key, or answers a repeat from what the first one stored. */
  private async once(
    organization: string,
    key: string,
    hash: string,
    res: Response,
    handle: () => Promise<unknown>,
  ): Promise<unknown> {
    if (!(await this.keys.tryLock(organization, key)))
      throw new ConflictException({
        code: 'conflict/in-progress',
        detail: 'a request with this Idempotency-Key is still being processed',
      });
    const row = await this.keys.find(organization, key);
    // an unanswered row is what an earlier version of this interceptor left when its process died
    if (row && !row.expired && row.status !== null) {
      if (row.requestHash !== hash)
        throw new UnprocessableEntityException('this Idempotency-Key was used for a different request');
      res.status(row.status).setHeader('Idempotent-Replayed', 'true');
      return row.response;
    }
    if (row) await this.keys.delete(organization, key);
    const body = await handle();
    // the status is set before interceptors run, or by the handler itself (`@Res({ passthrough: true })`)
    await this.keys.insert({
      organization,
      key,
      requestHash: hash,
      status: res.statusCode,
      response: JSON.stringify(body ?? null),
    });
    return body;
  }

  /**
   * A keyed request holds a connection for its whole transaction and may need a second one for reads
   * outside its units of work: at most half the pool runs keyed requests, so they can never take every
   * connection and wait on each other.
   */
  private async slot<T>(work: () => Promise<T>): Promise<T> {
    const limit = Math.max(
      1,
      Math.floor(Number((this.dataSource.options as { extra?: { max?: number } }).extra?.max ?? 10) / 2),
    );
    if (this.running >= limit)
      await new Promise<void>((resolve) => this.waiting.push(resolve)); // handed a slot
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
