import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { RequestContext } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import type { AuditRecordedData } from '@jrp/contracts';
import { redactIdNumbers } from '@jrp/crypto';
import { outsideTransactions } from '@jrp/database';
import { Metrics } from '@jrp/messaging';
import { DEFAULT_REFUSAL_LIMITS, REFUSAL_OUTCOMES, RefusalQueue } from './refusal-queue';

/** Where the records of refused requests are written: one of the process's audit recorders. */
export interface RefusalWriter {
  /** The service whose audit sink writes them (measures' writes straight into the trail). */
  readonly service: string;
  writeRefusals(records: AuditRecordedData[]): Promise<void>;
}

/** The request a refusal answers, as far as its record needs it. */
export interface RefusedRequest {
  method: string;
  originalUrl?: string;
  url?: string;
}

/** Records written per transaction. */
const BATCH = 500;
/** How soon counted refusals are written as summaries when nothing else is being written. */
const SUMMARY_DELAY_MS = 10000;

function pathOf(request: RefusedRequest): string {
  const raw = (request.originalUrl ?? request.url ?? '').split('?')[0];
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // not valid percent-encoding: the path as sent
  }
  // a path may carry an identifier (a credit file's subject): never an ID number in the trail
  return redactIdNumbers(path).slice(0, 300);
}

/**
 * The refused attempts of this process (401, 403, 404, 429) in the audit trail: the exception filter
 * notes each one, with its route, status, request id, source address and, when known, organisation and
 * token; they are written in batches, outside the request, through the process's audit recorder
 * (measures' when the process has it). Bounded (RefusalQueue): per source address and minute, and in
 * what may wait; what is not recorded is counted, in the trail (outcome `not-recorded`) and in the
 * metric `jrp_audit_refusals_unrecorded_total`.
 */
@Injectable()
export class RefusedRequests implements OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly queue = new RefusalQueue(DEFAULT_REFUSAL_LIMITS);
  private readonly unrecorded: Counter;
  private writer?: RefusalWriter;
  private flushing?: Promise<void>;
  private scheduled = false;
  private summaryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(JrpConfig) private readonly config: JrpConfig,
    metrics: Metrics,
  ) {
    const name = 'jrp_audit_refusals_unrecorded_total';
    this.unrecorded =
      (metrics.registry.getSingleMetric(name) as Counter | undefined) ??
      new Counter({
        name,
        help: 'refused requests (401, 403, 404, 429) not recorded one by one in the audit trail (counted there per source address instead)',
        registers: [metrics.registry],
      });
  }

  /** An audit recorder offers itself; measures' (which writes the trail directly) is preferred. */
  attach(writer: RefusalWriter): void {
    if (!this.writer || (writer.service === 'measures' && this.writer.service !== 'measures')) this.writer = writer;
  }

  /** Notes a refused request, in its request's context; other statuses are ignored. */
  note(status: number, request: RefusedRequest): void {
    const outcome = REFUSAL_OUTCOMES[status];
    if (!outcome) return;
    const context = RequestContext.current();
    const principal = context?.principal;
    const record: AuditRecordedData = {
      recordId: randomUUID(),
      version: 1,
      service: this.config.service,
      action: 'request.refused',
      objectType: 'route',
      objectId: `${request.method} ${pathOf(request)}`,
      organization: principal?.organization.code ?? 'anonymous',
      tokenId: principal?.tokenId ?? '',
      tokenLabel: principal?.label ?? null,
      requestId: context?.requestId ?? '',
      sourceAddress: context?.sourceAddress ?? '',
      at: new Date().toISOString(),
      outcome,
    };
    if (this.queue.offer(record)) this.schedule();
    else {
      this.unrecorded.inc();
      this.scheduleSummaries();
    }
  }

  /** Writes what is waiting (records, then the counts of what was not recorded); resolves once written. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.drain().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.summaryTimer);
    await this.flush().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    while (this.queue.pending > 0) {
      const records = this.queue.take(BATCH, (address, count) => this.summary(address, count));
      try {
        // never inside the transaction of whatever request was being served when this was scheduled
        await outsideTransactions(() => writer.writeRefusals(records));
      } catch (error) {
        this.logger.warn(`${records.length} refused request(s) not recorded: ${(error as Error).message}`);
        this.unrecorded.inc(records.length);
      }
    }
  }

  /** Soon, outside the request's context. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    RequestContext.exit(() =>
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      }),
    );
  }

  private scheduleSummaries(): void {
    if (this.summaryTimer) return;
    RequestContext.exit(() => {
      this.summaryTimer = setTimeout(() => {
        this.summaryTimer = undefined;
        void this.flush();
      }, SUMMARY_DELAY_MS);
      this.summaryTimer.unref();
    });
  }

  private summary(address: string, count: number): AuditRecordedData {
    return {
      recordId: randomUUID(),
      version: 1,
      service: this.config.service,
      action: 'request.refused',
      objectType: 'count',
      objectId: String(count),
      organization: 'anonymous',
      tokenId: '',
      tokenLabel: null,
      requestId: '',
      sourceAddress: address,
      at: new Date().toISOString(),
      outcome: 'not-recorded',
    };
  }
}
