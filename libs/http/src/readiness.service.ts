import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JrpConfig } from '@jrp/config';
import { pingDatabase } from '@jrp/database';
import { EventBus, MessagingRegistry } from '@jrp/messaging';
import { HealthResponse } from './health.response';
import { ShutdownState } from './shutdown-state';

export const HEALTH_DATA_SOURCES = 'jrp:health-data-sources';

/** An outbox row unsent for longer than this counts towards the readiness backlog. */
export const READY_OUTBOX_AGE_SECONDS = 30;
/** How long one check may take before it counts as down. */
const CHECK_TIMEOUT_MS = 2000;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Readiness: every database of the process answers, the bus is connected and each service's outbox has
 * fewer than JRP_READY_MAX_OUTBOX_BACKLOG rows waiting more than READY_OUTBOX_AGE_SECONDS. Each check
 * has CHECK_TIMEOUT_MS; a process that is shutting down is not ready.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(EventBus) private readonly bus: EventBus,
    private readonly registry: MessagingRegistry,
    @Inject(JrpConfig) private readonly config: JrpConfig,
  ) {}

  async check(): Promise<{ up: boolean; body: HealthResponse }> {
    const names: string[] = this.moduleRef.get(HEALTH_DATA_SOURCES, { strict: false });
    const checks: Record<string, 'up' | 'down'> = {};
    const failed: string[] = [];
    const outboxBacklog: Record<string, number> = {};
    const check = async (name: string, probe: () => Promise<string | null>) => {
      try {
        const problem = await within(CHECK_TIMEOUT_MS, probe());
        checks[name] = problem ? 'down' : 'up';
        if (problem) failed.push(`${name}: ${problem}`);
      } catch (error) {
        checks[name] = 'down';
        failed.push(`${name}: ${(error as Error).message}`);
      }
    };
    const threshold = this.config.readyMaxOutboxBacklog;
    await Promise.all([
      ...names.map((name) =>
        check(`database:${name}`, async () => {
          await pingDatabase(this.moduleRef.get<DataSource>(getDataSourceToken(name), { strict: false }));
          return null;
        }),
      ),
      check(`bus:${this.bus.name}`, async () => ((await this.bus.isHealthy()) ? null : 'not connected')),
      ...this.registry.relays.map((relay) =>
        check(`outbox:${relay.service}`, async () => {
          const stale = await relay.staleBacklog(READY_OUTBOX_AGE_SECONDS, threshold);
          outboxBacklog[relay.service] = stale;
          return stale >= threshold
            ? `${stale} or more events unsent for over ${READY_OUTBOX_AGE_SECONDS} s (threshold ${threshold})`
            : null;
        }),
      ),
    ]);
    if (ShutdownState.stopping) failed.push('process: shutting down');
    const up = failed.length === 0;
    return {
      up,
      body: { status: up ? 'up' : 'down', checks, ...(up ? {} : { failed: failed.sort() }), outboxBacklog },
    };
  }
}
