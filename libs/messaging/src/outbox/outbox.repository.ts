import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseRepository, insertStatements, Table, transactionManager } from '@jrp/database';

/** A row of `outbox`: an event as the relay sends it (the envelope as text, see OutboxAsSent). */
export interface OutboxRow {
  seq: string;
  eventId: string;
  topic: string;
  key: string;
  type: string;
  envelope: string;
  createdAt: Date;
}

export const outbox = new Table<OutboxRow>('outbox', {
  seq: { column: 'seq', generated: true },
  eventId: 'event_id',
  topic: 'topic',
  key: 'key',
  type: 'type',
  // read back as the stored text: what was written is what is sent, with no parse and re-serialization
  envelope: { column: 'envelope', read: '$::text', cast: 'json' },
  createdAt: { column: 'created_at', generated: true },
});

/** A row of `outbox_pending`: an outbox row the relay has not sent yet. */
export interface OutboxPendingRow {
  seq: string;
}

export const outboxPending = new Table<OutboxPendingRow>('outbox_pending', { seq: 'seq' });

/** What the relay sends of an outbox row. */
export type OutboxMessage = Pick<OutboxRow, 'seq' | 'topic' | 'key' | 'type' | 'envelope'>;

/** An event to write into the outbox. */
export type NewOutboxRow = Pick<OutboxRow, 'eventId' | 'topic' | 'key' | 'type' | 'envelope'>;

/**
 * The statements writing `rows` into the outbox and queueing them in `outbox_pending`: one per chunk
 * (under the parameter limit), each a CTE that inserts the events and queues the seqs it created. With
 * `ignoreDuplicates` an event already stored (same id) is skipped, and not queued again. Exported for its unit test.
 */
export function appendStatements(rows: readonly NewOutboxRow[], ignoreDuplicates: boolean) {
  return insertStatements<OutboxRow>(outbox, rows as OutboxRow[], {
    ...(ignoreDuplicates ? { onConflict: '(event_id) DO NOTHING' } : {}),
    returning: outbox.column('seq'),
  }).map(({ sql, parameters }) => ({
    sql: `WITH added AS (${sql}) INSERT INTO ${outboxPending.name} (${outboxPending.columnList()}) SELECT seq FROM added`,
    parameters,
  }));
}

/**
 * `rows` written into the outbox and queued, as two CTEs (`outbox_added`, `outbox_queued`) of a caller's
 * statement that writes the change they announce: one round trip for both, atomic with it. With a SQL
 * `condition`, only when it holds (a new entry's events only when it was inserted). In their order; like
 * `append`, a stored id is skipped. Their parameters are pushed onto `params`. All rows in one statement:
 * for the few events of one change (a chunked `append` is for more). Exported for its unit test.
 */
export function appendCtes(rows: readonly NewOutboxRow[], params: unknown[], condition?: string): string {
  const columns = outbox.columnList();
  // cast (Table.bind): a VALUES list in a SELECT would read an untyped parameter as text, which a json column refuses
  const tuples = rows.map((row, i) => `(${i}, ${outbox.bind(row as OutboxRow, params)})`);
  return (
    `outbox_added AS (INSERT INTO ${outbox.name} (${columns}) SELECT ${columns} FROM (VALUES ${tuples.join(', ')}) AS v (n, ${columns})` +
    `${condition ? ` WHERE ${condition}` : ''} ORDER BY n ON CONFLICT (${outbox.column('eventId')}) DO NOTHING RETURNING seq), ` +
    `outbox_queued AS (INSERT INTO ${outboxPending.name} (${outboxPending.columnList()}) SELECT seq FROM outbox_added)`
  );
}

/** The relay's advisory lock key: one relay per schema. */
const RELAY_LOCK = `hashtext(current_schema() || '.outbox-relay')`;

/**
 * The outbox of one service's schema: events appended with the changes that caused them, and the
 * relay's queue of unsent ones (`outbox_pending`). The relay's statements are its throughput core: each
 * batch is one read and one delete, on the connection that holds the relay's lock.
 */
export class OutboxRepository extends DatabaseRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  /**
   * Appends events in the transaction open here, each stored once (a repeated id is skipped), and
   * queues them for the relay.
   */
  async append(rows: readonly NewOutboxRow[]): Promise<void> {
    const manager = transactionManager(this.dataSource);
    for (const { sql, parameters } of appendStatements(rows, true)) await manager.query(sql, parameters);
  }

  /** `append` for a migration, which runs on its query runner's manager rather than in a transaction of the service. */
  static async appendIn(manager: EntityManager, rows: readonly NewOutboxRow[]): Promise<void> {
    for (const { sql, parameters } of appendStatements(rows, true)) await manager.query(sql, parameters);
  }

  /** Queues an event already in the outbox again (a replay); false when the outbox has no event with this id. */
  async requeue(eventId: string): Promise<boolean> {
    const [own] = await this.query<Pick<OutboxRow, 'seq'>[]>(
      `SELECT ${outbox.column('seq')} FROM ${outbox.name} WHERE ${outbox.column('eventId')} = $1`,
      [eventId],
    );
    if (!own) return false;
    await this.query(
      `INSERT INTO ${outboxPending.name} (${outboxPending.columnList()}) VALUES (${outboxPending.placeholders(1)}) ON CONFLICT DO NOTHING`,
      outboxPending.valuesOf(own),
    );
    return true;
  }

  /** Adds one event the outbox does not hold yet and queues it; a duplicate id fails. */
  async insertNew(row: NewOutboxRow): Promise<void> {
    for (const { sql, parameters } of appendStatements([row], false)) await this.query(sql, parameters);
  }

  /**
   * The session's advisory lock that makes this connection's relay the schema's only one until it
   * resigns or the session ends (a crash, a lost connection); false when another replica holds it.
   * Run on the relay's own connection (`onConnection`).
   */
  async tryLeadRelay(): Promise<boolean> {
    const [{ locked }] = await this.query<{ locked: boolean }[]>(
      `SELECT pg_try_advisory_lock(${RELAY_LOCK}) AS locked`,
    );
    return locked;
  }

  /** Gives the lock of `tryLeadRelay` back, on the same connection, before it returns to the pool. */
  async resignRelay(): Promise<void> {
    await this.query(`SELECT pg_advisory_unlock(${RELAY_LOCK})`);
  }

  /**
   * The first `limit` unsent events in seq order, leaving out `inFlight` (a batch read and being sent, still
   * queued): the relay's read-ahead. Not "after the last one sent": a lower seq may have committed since.
   */
  nextBatch(limit: number, inFlight: readonly string[] = []): Promise<OutboxMessage[]> {
    // the first pending seqs, then each event by its key (never a scan of the whole outbox)
    return this.query<OutboxMessage[]>(
      `SELECT ${outbox.selectList('o', ['seq', 'topic', 'key', 'type', 'envelope'])}
       FROM (SELECT seq FROM ${outboxPending.name} ${inFlight.length > 0 ? 'WHERE seq <> ALL($2::bigint[])' : ''} ORDER BY seq LIMIT $1) p
       CROSS JOIN LATERAL (SELECT * FROM ${outbox.name} WHERE ${outbox.name}.seq = p.seq) o
       ORDER BY p.seq`,
      inFlight.length > 0 ? [limit, inFlight] : [limit],
    );
  }

  /** Takes sent events off the queue. */
  async markSent(seqs: readonly string[]): Promise<void> {
    await this.query(`DELETE FROM ${outboxPending.name} WHERE seq = ANY($1::bigint[])`, [seqs]);
  }

  /** Unsent rows: the backlog. */
  async backlog(): Promise<number> {
    const [{ n }] = await this.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${outboxPending.name}`);
    return n;
  }

  /** Unsent rows and the age of the oldest, in seconds (0 when none). */
  async backlogStats(): Promise<{ n: number; age: number }> {
    const [row] = await this.query<{ n: number; age: number }[]>(
      `SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(o.created_at)), 0)::float8 AS age
       FROM ${outboxPending.name} p JOIN ${outbox.name} o ON o.seq = p.seq`,
    );
    return row;
  }

  /** Unsent rows older than `seconds`, counted up to `cap`. */
  async staleBacklog(seconds: number, cap: number): Promise<number> {
    const [{ n }] = await this.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM ${outboxPending.name} p JOIN ${outbox.name} o ON o.seq = p.seq
         WHERE o.created_at < now() - make_interval(secs => $1) LIMIT $2) x`,
      [seconds, cap],
    );
    return n;
  }

  /** Removes the dead rows the sent events left in the queue (skipped when another session holds it). */
  async vacuumQueue(): Promise<void> {
    await this.query(`VACUUM (SKIP_LOCKED) ${outboxPending.name}`);
  }
}
