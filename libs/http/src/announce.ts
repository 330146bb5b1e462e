import { INestApplication, Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { JrpConfig } from '@jrp/config';
import { OperatorEndpoints } from './operator-endpoints';

/**
 * What the start log says about an address the HTTP server is bound to: where it listens (Node binds
 * every address of the machine when no host is given) and the addresses of the API, its docs, the
 * dashboard (served by feedback) and health.
 */
export function describeListening(
  address: AddressInfo,
  options: { name: string; dashboard: boolean; detail?: string },
): string[] {
  const everywhere = address.address === '::' || address.address === '0.0.0.0';
  const host = everywhere ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `http://${host}:${address.port}`;
  const where = everywhere ? `port ${address.port} on every address of this machine` : `${host}:${address.port} only`;
  const pages = [
    `API ${base}/api/v1`,
    `API docs ${base}/api/docs`,
    ...(options.dashboard ? [`dashboard ${base}/dashboard`] : []),
    `health ${base}/health`,
  ];
  return [`${options.name} is listening on ${where}${options.detail ? ` ${options.detail}` : ''}`, pages.join(' · ')];
}

/** Where the operator endpoints listen when JRP_OPS_PORT puts them on a port of their own. */
export function describeOperatorEndpoints(address: AddressInfo): string {
  const everywhere = address.address === '::' || address.address === '0.0.0.0';
  const host = everywhere ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const where = everywhere ? `port ${address.port} on every address of this machine` : `${host}:${address.port} only`;
  return `operator endpoints on ${where}: metrics http://${host}:${address.port}/metrics · health http://${host}:${address.port}/health`;
}

/**
 * `app.listen(port)` at the configured host (JRP_HOST; every address without one), the operator
 * endpoints on JRP_OPS_PORT when it is set, then the start log's lines of describeListening from the
 * addresses really bound.
 */
export async function listenAndAnnounce(
  app: INestApplication,
  port: number,
  options: { name: string; dashboard: boolean; detail?: string },
): Promise<void> {
  const config = app.get(JrpConfig);
  await (config.host === undefined ? app.listen(port) : app.listen(port, config.host));
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const logger = new Logger('jrp');
  for (const line of describeListening(address, options)) logger.log(line);
  if (config.opsPort !== undefined) {
    const ops = await app.get(OperatorEndpoints).listen(config.opsPort, config.host);
    logger.log(describeOperatorEndpoints(ops));
  }
}
