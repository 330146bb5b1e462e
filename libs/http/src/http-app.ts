import { INestApplication, Logger, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsResponse } from './openapi';
import type { Express, NextFunction, Request, Response } from 'express';
import { json } from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import { RefusedRequests } from '@jrp/audit';
import { requestContextMiddleware } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { Correlation, Metrics } from '@jrp/messaging';
import { BODY_LIMITS, DEFAULT_BODY_LIMIT } from './body-limits';
import { problemBody, ProblemDetailsFilter } from './problem-details.filter';
import { PROBLEM_TYPE_BASE, PROBLEM_TYPES, ProblemCode } from './problem-types';
import { ShutdownState } from './shutdown-state';
import { strictValidationPipe } from './validation';

/** Errors of the body parser (before Nest's filters run), as problem details. */
function bodyErrors(error: { type?: string; status?: number }, req: Request, res: Response, next: NextFunction): void {
  if (
    !error?.type?.startsWith('entity.') &&
    error?.type !== 'charset.unsupported' &&
    error?.type !== 'encoding.unsupported'
  )
    return next(error);
  const status = error.status ?? 400;
  const detail =
    status === 413
      ? 'the request body is too large for this endpoint'
      : status === 415
        ? 'the request body’s charset or content encoding is not supported'
        : 'the request body is not valid JSON';
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(req, status, detail, { code: status === 400 ? 'malformed-body' : undefined })));
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The problem types, dereferenced: `GET /api/docs/problems` lists them all, `GET /api/docs/problems/<code>`
 * one; JSON when asked for, else a page in Chinese and English. Public like the rest of `/api/docs`.
 */
function problemTypesPage(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  const asked = decodeURIComponent(req.path.replace(/^\/+|\/+$/g, ''));
  const codes = (asked ? [asked] : Object.keys(PROBLEM_TYPES)) as ProblemCode[];
  if (!codes.every((c) => c in PROBLEM_TYPES)) return next();
  const types = codes.map((code) => ({ type: `${PROBLEM_TYPE_BASE}${code}`, code, ...PROBLEM_TYPES[code] }));
  if (req.accepts(['html', 'json']) === 'json') {
    res.json(asked ? types[0] : types);
    return;
  }
  const rows = types
    .map(
      (t) =>
        `<tr id="${escapeHtml(t.code)}"><td><code>${escapeHtml(t.code)}</code></td><td>${t.status}</td><td>${escapeHtml(t.zh)}</td><td>${escapeHtml(t.en)}</td></tr>`,
    )
    .join('');
  res
    .type('html')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>错误类型 Problem types</title></head>` +
        `<body><h1>错误类型 Problem types</h1><table><thead><tr><th>code</th><th>HTTP</th><th>说明</th><th>Meaning</th></tr></thead>` +
        `<tbody>${rows}</tbody></table></body></html>`,
    );
}

/** Operator endpoints: per process, outside `/api/v1`, not routed by the proxy. */
const OPERATOR_PATHS = ['health', 'health/live', 'health/ready', 'metrics'];

/**
 * Serves each request in its correlation context (its request id, from `X-Request-Id` or made), and
 * records its duration by route pattern (never the raw path) and status; logs it at debug level.
 */
function observeRequests(metrics: Metrics) {
  const logger = new Logger('HTTP');
  return (req: Request, res: Response, next: NextFunction): void => {
    const correlationId = String(res.getHeader('X-Request-Id') ?? '') || undefined;
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const matched = req.route as { path?: string } | undefined; // express types the matched route as any
      const route = matched?.path
        ? `${req.baseUrl ?? ''}${matched.path}`
        : res.statusCode === 404
          ? 'unmatched'
          : 'other';
      metrics.httpRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      Correlation.run(correlationId, () =>
        logger.debug({
          message: `${req.method} ${route} ${res.statusCode}`,
          method: req.method,
          route,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1000),
        }),
      );
    });
    Correlation.run(correlationId, next);
  };
}

/**
 * The HTTP conventions of every jrp process: `/api/v1`, a request id and context per request (its
 * client address after JRP_TRUSTED_PROXIES), security headers, per-endpoint body limits, strict input, problem details, OpenAPI at `/api/docs`,
 * bounded request times. Create the app with `bodyParser: false`.
 */
export function configureHttpApp(app: INestApplication, title: string): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  // X-Forwarded-For is believed only from the proxies named in JRP_TRUSTED_PROXIES (none by default):
  // the client address of audit records and per-address limits is otherwise the connection's
  const { trustedProxies } = app.get(JrpConfig);
  express.set('trust proxy', trustedProxies.length > 0 ? trustedProxies : false);
  app.use(requestContextMiddleware);
  app.use(observeRequests(app.get(Metrics)));
  // shutting down: each connection serves the request it carries and closes, so clients go elsewhere
  app.use((_req: Request, res: Response, next: NextFunction) => {
    if (ShutdownState.stopping) res.setHeader('Connection', 'close');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  for (const [path, limit] of Object.entries(BODY_LIMITS)) app.use(path, json({ limit }));
  app.use(json({ limit: DEFAULT_BODY_LIMIT }));
  app.use(bodyErrors);
  app.use(PROBLEM_TYPE_BASE.replace(/\/$/, ''), problemTypesPage);
  app.setGlobalPrefix('api/v1', { exclude: OPERATOR_PATHS.map((path) => ({ path, method: RequestMethod.GET })) });
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(RefusedRequests)));
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
