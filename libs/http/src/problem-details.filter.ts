import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { isRowDataError, rowDataErrorMessage, sqlState } from './row-data-error';

export interface FieldError {
  field: string;
  message: string;
}

/** An HTTP error with field-level messages (400 for invalid input). */
export class FieldValidationException extends HttpException {
  constructor(
    readonly errors: FieldError[],
    detail = 'the request is not valid',
  ) {
    super({ detail, errors }, HttpStatus.BAD_REQUEST);
  }
}

/** Told of every error answer: the audit trail records the refused ones (401, 403, 404, 429). */
export interface ErrorAnswerListener {
  note(status: number, request: Request): void;
}

/**
 * Every error as an RFC 9457 problem details document (`application/problem+json`):
 * `{type, title, status, detail, instance, errors?}`. Unexpected errors are logged and answered 500
 * without internals. The one place every refused request passes (the guard's 401, 403 and 429, the
 * handlers' and the router's 404): `listener` hears each answer.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly listener?: ErrorAnswerListener) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<Request>();
    const response = ctx.getResponse<Response>();
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let detail = 'an unexpected error occurred';
    let errors: FieldError[] | undefined;
    // RFC 9457 extension members an exception carries (`{detail, extensions: {…}}`); never the standard ones
    let extensions: Record<string, unknown> = {};
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'string') detail = body;
      else {
        const b = body as {
          detail?: string;
          message?: string | string[];
          errors?: FieldError[];
          extensions?: Record<string, unknown>;
        };
        detail = b.detail ?? (Array.isArray(b.message) ? b.message.join('; ') : (b.message ?? exception.message));
        errors = b.errors;
        extensions = b.extensions ?? {};
      }
    } else if (isRowDataError(exception)) {
      // the last line of defence: a value the application's checks missed, refused by the database (SQLSTATE
      // class 22, 23, 54) is the request's fault — 400 (409 for a unique key taken meanwhile), never 500
      status = sqlState(exception) === '23505' ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
      detail = rowDataErrorMessage(exception);
      this.logger.warn(`${request.method} ${request.originalUrl?.split('?')[0]} refused by the database: ${detail}`);
    } else {
      const route = request.route as { path?: string } | undefined; // express types the matched route as any
      this.logger.error(
        `${request.method} ${route?.path ?? ''} failed: ${(exception as Error | undefined)?.stack ?? String(exception)}`,
      );
    }
    this.listener?.note(status, request);
    response
      .status(status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          ...withoutStandardMembers(extensions),
          type: 'about:blank',
          title: STATUS_CODES[status] ?? 'Error',
          status,
          detail,
          instance: request.originalUrl?.split('?')[0],
          ...(errors ? { errors } : {}),
        }),
      );
  }
}

function withoutStandardMembers(extensions: Record<string, unknown>): Record<string, unknown> {
  const { type: _t, title: _ti, status: _s, detail: _d, instance: _i, errors: _e, ...rest } = extensions;
  return rest;
}
