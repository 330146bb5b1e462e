import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/**
 * The PostgreSQL channel on which committed task changes are announced (payload: `schema|org,org,…|origin`
 * or `schema|*|origin`; `origin` is `NOTIFY_ORIGIN` of the process that wrote them, absent before it was added).
 */
export const TASK_CHANGES_CHANNEL = 'jrp_task_changes';

/** This process, as the origin of the task-change announcements its transactions make. */
export const NOTIFY_ORIGIN = randomUUID();

/** `ownCommit`: the announcement is of a commit of this very process (which knows of it already, e.g. its relay). */
type Listener = (organizations: ReadonlySet<string> | '*', ownCommit: boolean) => void;

/** An announcement's organisations and whether this process made it; undefined for another schema's. */
export function announcementOf(
  payload: string,
  schema: string,
): { organizations: ReadonlySet<string> | '*'; ownCommit: boolean } | undefined {
  const [from, orgs, origin] = payload.split('|', 3);
  if (from !== schema || orgs === undefined) return undefined;
  return { organizations: orgs === '*' ? '*' : new Set(orgs.split(',')), ownCommit: origin === NOTIFY_ORIGIN };
}

/**
 * Wakes long polls, streams and webhook deliveries when task changes commit, in every replica: the
 * feed's writer NOTIFYs in its transaction, so the announcement arrives only after the commit. Readers
 * always re-read the feed after a wake-up (the announcement carries no data), and a lost connection is
 * re-established and answered with a wake-up for everyone, so a missed NOTIFY costs latency, never a
 * change.
 */
@Injectable()
export class TaskChangeNotifier implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TaskChangeNotifier.name);
  private readonly listeners = new Set<Listener>();
  private client?: Client;
  private closed = false;
  private readonly schema: string;
  private readonly url: string;

  constructor(@InjectDataSource('measures') dataSource: DataSource) {
    const options = dataSource.options as { url: string; schema: string };
    this.url = options.url;
    this.schema = options.schema;
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  /** Calls `listener` after each commit of task changes in this service's schema; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves `true` when a change for `organization` (or any, when omitted) commits, `false` after
   * `ms` or when `signal` aborts. Subscribe before reading the feed, so nothing slips in between.
   */
  waitFor(
    organization: string | undefined,
    ms: number,
    signal?: AbortSignal,
  ): { promise: Promise<boolean>; cancel: () => void } {
    let cancel = () => undefined as void;
    const promise = new Promise<boolean>((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', aborted);
        resolve(value);
      };
      const aborted = () => done(false);
      const timer = setTimeout(() => done(false), ms);
      const unsubscribe = this.subscribe((orgs) => {
        if (orgs === '*' || organization === undefined || orgs.has(organization)) done(true);
      });
      signal?.addEventListener('abort', aborted);
      cancel = () => done(false);
    });
    return { promise, cancel };
  }

  private announce(organizations: ReadonlySet<string> | '*', ownCommit = false): void {
    for (const listener of [...this.listeners]) listener(organizations, ownCommit);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'jrp-measures-notifier' });
    client.on('notification', (n) => {
      if (n.channel !== TASK_CHANGES_CHANNEL || !n.payload) return;
      const announced = announcementOf(n.payload, this.schema);
      if (announced) this.announce(announced.organizations, announced.ownCommit);
    });
    client.on('error', (error) => {
      this.logger.warn(`task change notifications interrupted: ${error.message}`);
      void this.reconnect(client);
    });
    client.on('end', () => void this.reconnect(client));
    await client.connect();
    // eslint-disable-next-line no-restricted-syntax -- LISTEN on the notifier's own connection: no table, no repository
    await client.query(`LISTEN ${TASK_CHANGES_CHANNEL}`);
    this.client = client;
  }

  private async reconnect(failed: Client): Promise<void> {
    if (this.closed || this.client !== failed) return;
    this.client = undefined;
    for (let delay = 500; !this.closed; delay = Math.min(delay * 2, 10000)) {
      await new Promise((r) => setTimeout(r, delay));
      try {
        await this.connect();
        this.announce('*');
        return;
      } catch (error) {
        this.logger.warn(`task change notifications still unavailable: ${(error as Error).message}`);
      }
    }
  }
}
