import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Correlation } from '@jrp/messaging';
import { answerLanguage, problemCodeOf, problemText, problemTypeUri } from './problem-types';
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
 * An error answer as an RFC 9457 problem details document: `type` (the kind's URI), `code` (stable, for
 * programs), `title` and `detail` in the main language (`Accept-Language`: Chinese unless English is
 * preferred) with the other alongside (`detailEn` / `detailZh`), `status`, `instance` (the path),
 * `requestId` (the `X-Request-Id` answered) and, for 400, `errors` field by field. Every jrp error answer
 * is made here: docs/problems.md lists the codes.
 */
export function problemBody(
  request: Pick<Request, 'originalUrl' | 'headers'>,
  status: number,
  detail: string,
  options: { code?: unknown; errors?: FieldError[]; extensions?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const code = problemCodeOf(status, options.code);
  const text = problemText(code, detail, answerLanguage(request.headers['accept-language']));
  return {
    ...withoutStandardMembers(options.extensions ?? {}),
    type: problemTypeUri(code),
    code,
    title: text.title,
    status,
    detail: text.detail,
    ...text.alongside,
    instance: request.originalUrl?.split('?')[0],
    requestId: Correlation.current(),
    ...(options.errors ? { errors: options.errors } : {}),
  };
}

/**
 * Every error as a problem details document (`application/problem+json`, see {@link problemBody}). Unexpected errors are logged and answered 500
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
    let code: unknown;
    // RFC 9457 extension members an exception carries (`{detail, extensions: {…}}`); never the standard ones
    let extensions: Record<string, unknown> | undefined;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'string') detail = body;
      else {
        const b = body as {
          detail?: string;
          message?: string | string[];
          errors?: FieldError[];
          code?: unknown;
          extensions?: Record<string, unknown>;
        };
        detail = b.detail ?? (Array.isArray(b.message) ? b.message.join('; ') : (b.message ?? exception.message));
        errors = b.errors;
        code = b.code;
        extensions = b.extensions;
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
      .send(JSON.stringify(problemBody(request, status, detail, { code, errors, extensions })));
  }
}

const STANDARD_MEMBERS = new Set([
  'type',
  'code',
  'title',
  'status',
  'detail',
  'detailEn',
  'detailZh',
  'instance',
  'requestId',
  'errors',
]);

/** Extension members never override the standard ones. */
function withoutStandardMembers(extensions: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extensions).filter(([key]) => !STANDARD_MEMBERS.has(key)));
}
