import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { performance } from 'node:perf_hooks';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metrics } from '@jrp/messaging';
import { REPORTED_STATUSES } from '../check-answer';
import { CheckIndexConnection } from './check-index.repository';
import { parseReportedKeys, parseSnapshot, ReportedKeysChange, Snapshot, visibleIn } from './reported-keys';
import { prefixOf, SubjectKeyIndex } from './subject-key-index';

/** How often the listening connection must answer a round trip, and within how long, or it is rebuilt. */
const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * The counter checks' index in memory (issue 21): the 64-bit key prefixes of every subject and legal
 * representative with a reported entry (列入 or 重点关注, REPORTED_STATUSES, whatever its validity:
 * only those can make a check's answer differ from "not listed", see `answerCheck`), counted. A check
 * whose key is not in a complete index is answered "not listed" without reading the database; a hit, or
 * an index not complete, reads the database as before.
 *
 * Why it is complete and current in every replica (a replica consumes only some partitions, so it
 * cannot follow its own consumer):
 * - matching announces, in the transaction that writes entry states, the net change of each key
 *   prefix's count (the states it replaces read under lock, the ones it writes), by NOTIFY; PostgreSQL
 *   delivers it to every listening session when, and only if, that transaction commits;
 * - at start (and after a lost connection) the index LISTENs first, then loads the counts in one
 *   repeatable-read snapshot: a transaction committed before the LISTEN is in the snapshot, one
 *   committed after it is delivered, one in both is recognised by its id (`visibleIn` the snapshot) and
 *   counted once. Notifications that arrive during the load wait until it ends;
 * - while it is not complete (starting, rebuilding after the connection failed or missed a heartbeat),
 *   every check reads the database: it never answers "not listed" from an incomplete index.
 * A count may only be too high (two writers racing on one new entry outside the partitioning, a
 * prefix two keys share): that costs a database read, never an answer. Anything that writes
 * entry_states other than matching must restart measures (the index is rebuilt at start).
 */
@Injectable()
export class CheckIndex implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CheckIndex.name);
  private readonly url: string;
  private readonly schema: string;
  /** The index checks answer from; null while it is not complete. */
  private index: SubjectKeyIndex | null = null;
  /** Each connection's generation: callbacks of an older one are ignored. */
  private generation = 0;
  private connection?: CheckIndexConnection;
  private heartbeat?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private closed = false;
  private lastBuildSeconds = 0;
  private readonly answers: Counter<'source'>;

  constructor(@InjectDataSource('measures') dataSource: DataSource, metrics: Metrics) {
    const options = dataSource.options as { url: string; schema: string };
    this.url = options.url;
    this.schema = options.schema;
    const registers = [metrics.registry];
    this.answers = new Counter({
      name: 'jrp_check_answers_total',
      help: 'counter checks answered, by source: memory (not in the check index: no database read) or database',
      labelNames: ['source'] as const,
      registers,
    });
    const gauge = (name: string, help: string, value: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(value());
        },
      });
    gauge(
      'jrp_check_index_complete',
      '1 when the check index is complete (unlisted subjects answered from memory), 0 while it is (re)built',
      () => (this.index ? 1 : 0),
    );
    gauge('jrp_check_index_prefixes', 'distinct key prefixes in the check index (0 while it is not complete)', () =>
      this.index ? this.index.size : 0,
    );
    gauge('jrp_check_index_bytes', 'bytes of the check index’s arrays (0 while it is not complete)', () =>
      this.index ? this.index.bytes : 0,
    );
    gauge(
      'jrp_check_index_build_seconds',
      'how long the last (re)build of the check index took',
      () => this.lastBuildSeconds,
    );
  }

  onApplicationBootstrap(): void {
    // in the background: until it is complete, checks read the database
    void this.build();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.generation++;
    clearInterval(this.heartbeat);
    clearTimeout(this.retry);
    this.connection?.close();
    this.index = null;
    await Promise.resolve();
  }

  /** Whether the index is complete (checks of unlisted subjects are answered from it). */
  get complete(): boolean {
    return this.index !== null;
  }

  /**
   * Whether a check of `subjectKey` must read the database: the index is not complete, or a reported
   * entry may have a key with the same prefix. False: no reported entry has this key.
   */
  mayBeListed(subjectKey: string): boolean {
    const index = this.index;
    if (!index) return true;
    const prefix = prefixOf(subjectKey);
    return prefix === null || index.has(prefix.hi, prefix.lo);
  }

  /** Counts an answer by where it came from (the metric). */
  answered(source: 'memory' | 'database'): void {
    this.answers.inc({ source });
  }

  private async build(): Promise<void> {
    const generation = ++this.generation;
    this.index = null;
    const started = performance.now();
    let building = new SubjectKeyIndex();
    let snapshot: Snapshot | null = null;
    const waiting: ReportedKeysChange[] = [];
    const onNotification = (payload: string) => {
      if (generation !== this.generation || !payload.startsWith(`${this.schema}|`)) return; // another schema's
      const change = parseReportedKeys(payload);
      if (!change) {
        this.logger.warn('a reported-keys notification could not be read: rebuilding the check index');
        this.lose(generation, 'unreadable notification');
        return;
      }
      if (!snapshot) waiting.push(change);
      else if (!visibleIn(change.xid, snapshot)) apply(building, change);
    };
    try {
      const connection = await CheckIndexConnection.open(this.url, this.schema, onNotification, (reason) =>
        this.lose(generation, reason),
      );
      if (generation !== this.generation) return connection.close();
      this.connection = connection;
      await connection.listen();
      const seen = await connection.loadReported(
        REPORTED_STATUSES,
        (keys) => {
          // nothing is in it yet: notifications wait in `waiting` until the snapshot is known
          building = new SubjectKeyIndex(keys);
        },
        (rows) => {
          for (const [subject, representative] of rows) {
            addKey(building, subject);
            if (representative !== null) addKey(building, representative);
          }
        },
      );
      if (generation !== this.generation) return;
      snapshot = parseSnapshot(seen);
      for (const change of waiting.splice(0)) if (!visibleIn(change.xid, snapshot)) apply(building, change);
      this.index = building;
      this.lastBuildSeconds = Math.round(performance.now() - started) / 1000;
      this.logger.log(
        `check index complete: ${building.size} key prefixes, ${Math.round(building.bytes / 1024 / 1024)} MiB, in ${this.lastBuildSeconds} s`,
      );
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => void this.beat(generation), HEARTBEAT_MS);
      this.heartbeat.unref();
      this.retryDelay = RETRY_FIRST_MS;
    } catch (error) {
      this.lose(generation, (error as Error).message);
    }
  }

  private async beat(generation: number): Promise<void> {
    try {
      await this.connection?.ping(HEARTBEAT_TIMEOUT_MS);
    } catch (error) {
      this.lose(generation, `heartbeat: ${(error as Error).message}`);
    }
  }

  private retryDelay = RETRY_FIRST_MS;

  /** The connection of `generation` failed: checks read the database until a new index is complete. */
  private lose(generation: number, reason: string): void {
    if (generation !== this.generation || this.closed) return;
    this.generation++;
    this.index = null;
    clearInterval(this.heartbeat);
    this.connection?.close();
    this.connection = undefined;
    this.logger.warn(`check index incomplete (${reason}): checks read the database until it is rebuilt`);
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retry = setTimeout(() => void this.build(), delay);
    this.retry.unref();
  }
}

function addKey(index: SubjectKeyIndex, prefix: string): void {
  const p = prefixOf(prefix);
  if (p) index.add(p.hi, p.lo, 1);
}

function apply(index: SubjectKeyIndex, change: ReportedKeysChange): void {
  for (const { hi, lo, delta } of change.deltas) index.add(hi, lo, delta);
}
