import { INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsResponse } from './openapi';
import type { Express, NextFunction, Request, Response } from 'express';
import { json } from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { requestContextMiddleware } from '@jrp/auth';
import { BODY_LIMITS, DEFAULT_BODY_LIMIT } from './body-limits';
import { ProblemDetailsFilter } from './problem-details.filter';
import { strictValidationPipe } from './validation';

/** Errors of the body parser (before Nest's filters run), as problem details. */
function bodyErrors(error: { type?: string; status?: number }, req: Request, res: Response, next: NextFunction): void {
  if (!error?.type?.startsWith('entity.') && error?.type !== 'charset.unsupported' && error?.type !== 'encoding.unsupported') return next(error);
  const status = error.status ?? 400;
  const detail = status === 413 ? 'the request body is too large for this endpoint' : 'the request body is not valid JSON';
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status], status, detail, instance: req.originalUrl.split('?')[0] }));
}

/**
 * The HTTP conventions of every jrp process: `/api/v1`, a request id and context per request,
 * security headers, per-endpoint body limits, strict input, problem details, OpenAPI at `/api/docs`,
 * bounded request times. Create the app with `bodyParser: false`.
 */
export function configureHttpApp(app: INestApplication, title: string): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  express.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(requestContextMiddleware);
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
      crossOriginEmbedderPolicy: false,
    }),
  );
  for (const [path, limit] of Object.entries(BODY_LIMITS)) app.use(path, json({ limit }));
  app.use(json({ limit: DEFAULT_BODY_LIMIT }));
  app.use(bodyErrors);
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(title)
      .setDescription('联合奖惩 trigger–response–feedback API')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemDetailsResponse] },
  );
  // every operation can fail the same ways: one problem-details schema for all error answers
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as { responses?: Record<string, unknown> }[]) {
      operation.responses ??= {};
      operation.responses.default ??= {
        description: 'an error (400 with field-level errors, 401, 403, 404, 409, 413, 429, 5xx)',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsResponse) } } },
      };
    }
  }
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/** Slow or stalled clients cannot hold connections for ever (long polls stay under 90 s). */
export function boundRequestTimes(server: Server): void {
  server.headersTimeout = 20000;
  server.requestTimeout = 90000;
  server.keepAliveTimeout = 5000;
}

/** `Content-Disposition` for a download with a Chinese file name (RFC 6266 / 5987). */
export function attachment(name: string): string {
  return `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
