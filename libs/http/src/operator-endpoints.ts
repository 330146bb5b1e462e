import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Metrics } from '@jrp/messaging';
import { ReadinessService } from './readiness.service';

/**
 * The operator endpoints on a port of their own (JRP_OPS_PORT), for a scraper or a probe on an internal
 * network only: `GET /metrics`, `GET /health`, `/health/live`, `/health/ready`, answered as on the API
 * port; anything else 404. `/metrics` is then no longer served on the API port.
 */
@Injectable()
export class OperatorEndpoints implements OnApplicationShutdown {
  private readonly logger = new Logger('jrp');
  private server?: Server;

  constructor(
    private readonly metrics: Metrics,
    @Inject(ReadinessService) private readonly readiness: ReadinessService,
  ) {}

  /** Listens on `port` (at `host`, every address without one); resolves with the address bound. */
  async listen(port: number, host?: string): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.answer(req, res));
    server.headersTimeout = 20000;
    server.requestTimeout = 30000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    return server.address() as AddressInfo;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return this.send(res, 405, 'application/json', '{}');
      if (path === '/metrics') {
        return this.send(res, 200, this.metrics.contentType, await this.metrics.scrape());
      }
      if (path === '/health/live') {
        const body = { status: 'up', uptimeSeconds: Math.round(process.uptime()) };
        return this.send(res, 200, 'application/json', JSON.stringify(body));
      }
      if (path === '/health' || path === '/health/ready') {
        const { up, body } = await this.readiness.check();
        return this.send(res, up ? 200 : 503, 'application/json', JSON.stringify(body));
      }
      this.send(res, 404, 'application/json', JSON.stringify({ status: 404, detail: 'not an operator endpoint' }));
    } catch (error) {
      this.logger.warn(`operator endpoint ${path} failed: ${(error as Error).message}`);
      if (!res.headersSent) this.send(res, 500, 'application/json', '{}');
    }
  }

  private send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
  }
}
