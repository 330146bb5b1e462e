import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { problemBody } from '@jrp/http';

interface Asset {
  type: string;
  body: () => Buffer;
  cache: string;
}

/**
 * The page, its style and its script: files in assets/ beside this module, so the same path works from the sources
 * (ts-jest) and from dist/, where `npm run build` copies them (npm start, the image's read-only /app).
 */
export const DASHBOARD_ASSETS_DIR = join(__dirname, 'assets');

const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

const once = (load: () => Buffer): (() => Buffer) => {
  let loaded: Buffer | undefined;
  return () => (loaded ??= load());
};

/**
 * The dashboard's files: the page, its script and style (read when the service starts, so a build that lost them
 * fails at once rather than on the first visit), and Apache ECharts from the installed package (no CDN).
 */
function loadAssets(): Record<string, Asset> {
  const assets: Record<string, Asset> = {};
  for (const [name, type] of Object.entries(PAGE_FILES)) {
    let body: Buffer;
    try {
      body = readFileSync(join(DASHBOARD_ASSETS_DIR, name));
    } catch (error) {
      throw new Error(
        `the dashboard's ${name} is missing from ${DASHBOARD_ASSETS_DIR} (npm run build copies it there)`,
        { cause: error },
      );
    }
    assets[name] = { type, body: () => body, cache: 'no-cache' };
  }
  assets['echarts.min.js'] = {
    type: 'text/javascript; charset=utf-8',
    body: once(() => readFileSync(require.resolve('echarts/dist/echarts.min.js'))),
    cache: 'public, max-age=86400',
  };
  return assets;
}

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
    const assets = loadAssets();
    const send = (name: string, req: Request, res: Response) => {
      const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
      if (!asset) {
        res
          .status(404)
          .type('application/problem+json')
          .send(JSON.stringify(problemBody(req, 404, 'no such dashboard file')));
        return;
      }
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Cache-Control', asset.cache);
      res.send(asset.body());
    };
    http.get('/dashboard', (req: Request, res: Response) => send('index.html', req, res));
    http.get('/dashboard/:file', (req: Request, res: Response) => send(String(req.params.file), req, res));
  }
}
