import {
  BadRequestException, CallHandler, ConflictException, ExecutionContext, Inject, Injectable, NestInterceptor, UnprocessableEntityException,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, Observable, of, switchMap, tap } from 'rxjs';
import { DataSource } from 'typeorm';
import type { Principal } from '@jrp/auth';

/** The data source whose `idempotency_keys` table a service's interceptor uses. */
export const IDEMPOTENCY_DATA_SOURCE = Symbol('idempotency data source');

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on writes: the first request with a key (per organisation) runs; a repeat with the
 * same body gets the first result again (`Idempotent-Replayed: true`); a repeat with another body is
 * 422; a repeat while the first still runs is 409. A request that fails releases its key, so it can be
 * retried. Keys are kept for 24 hours.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IDEMPOTENCY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { principal?: Principal }>();
    const res = http.getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (key === undefined || req.method === 'GET' || !req.principal) return next.handle();
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new BadRequestException({ detail: 'Idempotency-Key must be 1–255 visible ASCII characters', errors: [{ field: 'Idempotency-Key', message: 'is not valid' }] });
    }
    const organization = req.principal.organization.code;
    const hash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    return from(this.claim(organization, key, hash)).pipe(
      switchMap((stored) => {
        if (stored) {
          res.status(stored.status).setHeader('Idempotent-Replayed', 'true');
          return of(stored.response);
        }
        return next.handle().pipe(
          tap({
            next: (body) => {
              res.once('finish', () => void this.complete(organization, key, res.statusCode, body));
            },
            error: () => void this.release(organization, key),
          }),
        );
      }),
    );
  }

  /** Takes the key, or returns the stored result of its first request. */
  private async claim(organization: string, key: string, hash: string): Promise<{ status: number; response: unknown } | null> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE organization = $1 AND key = $2 AND created_at < now() - interval '24 hours'`, [organization, key]);
    const taken = await this.dataSource.query(
      `INSERT INTO idempotency_keys (organization, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
      [organization, key, hash],
    );
    if (taken.length === 1) return null;
    const [row] = await this.dataSource.query(`SELECT request_hash, status, response FROM idempotency_keys WHERE organization = $1 AND key = $2`, [organization, key]);
    if (!row) return this.claim(organization, key, hash);
    if (row.request_hash !== hash) throw new UnprocessableEntityException('this Idempotency-Key was used for a different request');
    if (row.status === null) throw new ConflictException('a request with this Idempotency-Key is still being processed');
    return { status: row.status, response: row.response };
  }

  private async complete(organization: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource
      .query(`UPDATE idempotency_keys SET status = $3, response = $4 WHERE organization = $1 AND key = $2`, [organization, key, status, JSON.stringify(body ?? null)])
      .catch(() => undefined);
  }

  private async release(organization: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE organization = $1 AND key = $2 AND status IS NULL`, [organization, key]).catch(() => undefined);
  }
}
