import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { REPORTED_KEYS_CHANNEL } from './reported-keys';

/**
 * Rows a FETCH of the load reads at a time (about 400 KB of key prefixes): small enough that each batch's
 * strings die young, in the new space, instead of being promoted and left as old-space garbage that an
 * idle process keeps resident (50,000 a batch left ~90 MB of it at 1 M subjects).
 */
const LOAD_BATCH = 10_000;

/**
 * The check index's own PostgreSQL connection (not the pool's: LISTEN holds its session): it listens on
 * REPORTED_KEYS_CHANNEL, loads the reported entries' key prefixes in one snapshot, and answers the
 * heartbeat. `onLost` is called once when the connection fails or ends.
 */
export class CheckIndexConnection {
  private lost = false;

  private constructor(
    private readonly client: Client,
    private readonly schema: string,
  ) {}

  static async open(
    url: string,
    schema: string,
    onNotification: (payload: string) => void,
    onLost: (reason: string) => void,
  ): Promise<CheckIndexConnection> {
    // named with its schema (the operator's pg_stat_activity; PostgreSQL keeps 63 bytes of it)
    const client = new Client({
      connectionString: url,
      application_name: `jrp-check-index ${schema}`,
      keepAlive: true,
    });
    const connection = new CheckIndexConnection(client, schema);
    const lose = (reason: string) => {
      if (connection.lost) return;
      connection.lost = true;
      onLost(reason);
    };
    client.on('notification', (n) => {
      if (n.channel === REPORTED_KEYS_CHANNEL && n.payload) onNotification(n.payload);
    });
    client.on('error', (error) => lose(error.message));
    client.on('end', () => lose('connection ended'));
    try {
      await client.connect();
    } catch (error) {
      connection.lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    return connection;
  }

  /** Listens on the channel: from here on, every commit that announces reported keys reaches `onNotification`. */
  async listen(): Promise<void> {
    await this.client.query(`LISTEN ${REPORTED_KEYS_CHANNEL}`);
  }

  /**
   * Reads the key prefixes (16 hex characters) of every entry in one of `statuses` — its subject's and
   * its legal representative's, null when it has none — in batches, in one repeatable-read snapshot, and
   * returns that snapshot (`pg_current_snapshot()`): what the load saw, to tell which notifications it
   * already counted.
   */
  async loadReported(
    statuses: readonly string[],
    onCount: (keys: number) => void,
    onRows: (rows: [string, string | null][]) => void,
  ): Promise<string> {
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      // the first statement takes the transaction's snapshot: every FETCH below reads in it
      const { rows } = await this.client.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot');
      const inStatuses = `status IN (${statuses.map((s) => escapeLiteral(s)).join(', ')})`;
      // the keys to come, so the table is sized once instead of doubling (each doubling left the old arrays as garbage)
      const counted = await this.client.query<{ keys: string }>(
        `SELECT count(subject_key) + count(representative_key) AS keys FROM ${escapeIdentifier(this.schema)}.entry_states WHERE ${inStatuses}`,
      );
      onCount(Number(counted.rows[0].keys));
      await this.client.query(
        `DECLARE reported_keys NO SCROLL CURSOR FOR
         SELECT left(subject_key, 16), left(representative_key, 16) FROM ${escapeIdentifier(this.schema)}.entry_states
         WHERE ${inStatuses}`,
      );
      for (;;) {
        const batch = await this.client.query<[string, string | null]>({
          text: `FETCH ${LOAD_BATCH} FROM reported_keys`,
          rowMode: 'array',
        });
        if (batch.rows.length === 0) break;
        onRows(batch.rows);
      }
      await this.client.query('COMMIT');
      return rows[0].snapshot;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** A round trip on the connection within `ms`, or it counts as lost. */
  async ping(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.client.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the connection (no `onLost` after this). */
  close(): void {
    this.lost = true;
    void this.client.end().catch(() => undefined);
  }
}
