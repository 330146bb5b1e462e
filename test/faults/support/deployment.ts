import { createPrivateKey, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { ServiceProcess } from '@jrp/testing';

export type ServiceName = 'list-ingestion' | 'measures' | 'feedback';
export const SERVICES: ServiceName[] = ['list-ingestion', 'measures', 'feedback'];

const ENTRY: Record<ServiceName, string> = {
  'list-ingestion': 'apps/list-ingestion/src/main.js',
  measures: 'apps/measures/src/main.js',
  feedback: 'apps/feedback/src/main.js',
};

/** Which service answers an API path (what the reverse proxy does in production). */
export function serviceOf(path: string): ServiceName {
  if (path.startsWith('/api/v1/lists') || path.startsWith('/api/v1/subjects')) return 'list-ingestion';
  if (path.startsWith('/api/v1/feedback') || path.startsWith('/api/v1/reports') || path.startsWith('/api/v1/cases'))
    return 'feedback';
  return 'measures';
}

/**
 * The three services as separate processes from dist/, each possibly with several replicas in one
 * consumer group. Requests go round-robin over a service's replicas, dead ones included (as a proxy
 * would until its health check notices): the client retries.
 */
export class Deployment {
  readonly replicas: Record<ServiceName, ServiceProcess[]> = { 'list-ingestion': [], measures: [], feedback: [] };
  private readonly turn: Record<ServiceName, number> = { 'list-ingestion': 0, measures: 0, feedback: 0 };

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logs: string,
  ) {}

  /** The environment of one service: only measures signs tokens; feedback gets no data keys. */
  private envOf(service: ServiceName): NodeJS.ProcessEnv {
    if (service === 'measures') return this.env;
    const verifyKey = createPublicKey(
      createPrivateKey({ key: Buffer.from(this.env.JRP_TOKEN_SIGNING_KEY!, 'base64'), format: 'der', type: 'pkcs8' }),
    )
      .export({ format: 'der', type: 'spki' })
      .toString('base64');
    const verifying = { ...this.env, JRP_TOKEN_SIGNING_KEY: undefined, JRP_TOKEN_VERIFY_KEY: verifyKey };
    return service === 'feedback' ? { ...verifying, JRP_DATA_KEYS: undefined } : verifying;
  }

  /** Starts replica `index` of a service (a new one, or the same process slot again on its port). */
  async start(service: ServiceName, index = 0): Promise<ServiceProcess> {
    const list = this.replicas[service];
    list[index] ??= new ServiceProcess(
      ENTRY[service],
      this.envOf(service),
      join(this.logs, `${service}-${index + 1}.log`),
    );
    await list[index].start();
    return list[index];
  }

  async startAll(): Promise<void> {
    await Promise.all(SERVICES.map((s) => this.start(s)));
  }

  async kill(service: ServiceName, index: number, signal: NodeJS.Signals): Promise<void> {
    await this.replicas[service][index]?.kill(signal);
  }

  /** Stops every replica above the first one (a graceful shutdown). */
  async scaleDown(): Promise<void> {
    for (const s of SERVICES) {
      const extra = this.replicas[s].splice(1);
      await Promise.all(extra.map((p) => p.kill('SIGTERM')));
    }
  }

  async stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(SERVICES.flatMap((s) => this.replicas[s].map((p) => p.kill(signal))));
  }

  /** The base URL for a path: the next replica of the service that owns it. */
  urlFor(path: string): string {
    const service = serviceOf(path);
    const list = this.replicas[service];
    const replica = list[this.turn[service]++ % list.length];
    return replica.url;
  }
}
