import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from './dashboard.assets';

interface Asset {
  type: string;
  body: () => Buffer;
  cache: string;
}

const once = (load: () => Buffer): (() => Buffer) => {
  let loaded: Buffer | undefined;
  return () => (loaded ??= load());
};

/** The dashboard's files: the page, its script and style, and Apache ECharts from the installed package (no CDN). */
const ASSETS: Record<string, Asset> = {
  'index.html': { type: 'text/html; charset=utf-8', body: once(() => Buffer.from(DASHBOARD_HTML)), cache: 'no-cache' },
  'dashboard.js': {
    type: 'text/javascript; charset=utf-8',
    body: once(() => Buffer.from(DASHBOARD_JS)),
    cache: 'no-cache',
  },
  'dashboard.css': { type: 'text/css; charset=utf-8', body: once(() => Buffer.from(DASHBOARD_CSS)), cache: 'no-cache' },
  'echarts.min.js': {
    type: 'text/javascript; charset=utf-8',
    body: once(() => readFileSync(require.resolve('echarts/dist/echarts.min.js'))),
    cache: 'public, max-age=86400',
  },
};

/**
 * Serves the office's dashboard (数据看板) at /dashboard, outside the API prefix. The page is public; its
 * data comes from the report endpoints with the office token the user signs in with (kept in
 * sessionStorage). Registered on the HTTP server directly, after the API routes.
 */
@Injectable()
export class DashboardRoutes implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const http = this.host.httpAdapter;
    if (!http) return;
    const send = (name: string, res: Response) => {
      const asset = ASSETS[name];
      if (!asset) {
        res
          .status(404)
          .type('application/problem+json')
          .send(
            JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such dashboard file' }),
          );
        return;
      }
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Cache-Control', asset.cache);
      res.send(asset.body());
    };
    http.get('/dashboard', (_req: Request, res: Response) => send('index.html', res));
    http.get('/dashboard/:file', (req: Request, res: Response) => send(String(req.params.file), res));
  }
}
