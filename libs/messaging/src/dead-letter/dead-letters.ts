import type { DataSource } from 'typeorm';

export type DeadLetterStatus = 'pending' | 'replayed' | 'discarded';

/** A message a consumer group set aside, wherever the bus keeps it. */
export interface DeadLetter {
  /** Where it is kept: `dead_letters#<id>` (in-process) or `<dlq topic>/<partition>/<offset>` (Kafka). */
  ref: string;
  group: string;
  /** The topic it was read from (logical name, without JRP_TOPIC_PREFIX). */
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  eventId?: string;
  type?: string;
  error: string;
  attempts: number;
  firstSeen: Date;
  status: DeadLetterStatus;
  reason?: string;
}

export interface DeadLetterFilter {
  group?: string;
  topic?: string;
  eventId?: string;
  /** Include the letters already replayed or discarded. */
  includeResolved?: boolean;
}

/**
 * The dead letters of some consumer groups: listed, replayed (the original message goes back to its
 * topic, so the group processes it once; the inbox drops it where it was processed already) or
 * discarded with a reason. Either way a letter stops being pending.
 */
export interface DeadLetterStore {
  list(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  replay(letter: DeadLetter): Promise<void>;
  discard(letter: DeadLetter, reason: string): Promise<void>;
  /** Pending letters per group and topic (for metrics). */
  pendingCounts(): Promise<{ group: string; topic: string; count: number }[]>;
}

/** Each consumer group's data source: where its letters (in-process) or their resolutions (Kafka) are kept. */
export type GroupDataSources = ReadonlyMap<string, DataSource>;

/** The CloudEvents id and type of a message, when it has them (structured or binary mode). */
export function eventAttributesOf(value: string, headers: Record<string, string>): { id?: string; type?: string } {
  if (headers.ce_id) return { id: headers.ce_id, type: headers.ce_type };
  try {
    const parsed = JSON.parse(value) as { id?: unknown; type?: unknown };
    return {
      id: typeof parsed?.id === 'string' ? parsed.id : undefined,
      type: typeof parsed?.type === 'string' ? parsed.type : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * The in-process bus's dead letters: rows of `dead_letters` in each group's schema. Replaying puts the
 * event back into the group's own outbox (its row again pending when the event was this service's,
 * a new row otherwise), in the transaction that marks the letter replayed: the service's relay sends it
 * to every group reading the topic, whose inboxes drop it where it was processed already.
 */
export class TableDeadLetters implements DeadLetterStore {
  constructor(private readonly groups: GroupDataSources) {}

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const [group, ds] of this.groups) {
      if (filter.group && filter.group !== group) continue;
      const rows: {
        id: string;
        topic: string;
        key: string;
        event_id: string | null;
        value: string;
        error: string;
        attempts: number;
        status: DeadLetterStatus;
        reason: string | null;
        created_at: Date;
      }[] = await ds.query(
        `SELECT id, topic, key, event_id, value, error, attempts, status, reason, created_at FROM dead_letters
           WHERE consumer = $1 AND ($2::text IS NULL OR topic = $2) AND ($3::text IS NULL OR event_id = $3) AND (status = 'pending' OR $4)
           ORDER BY id`,
        [group, filter.topic ?? null, filter.eventId ?? null, filter.includeResolved === true],
      );
      for (const r of rows) {
        out.push({
          ref: `dead_letters#${r.id}`,
          group,
          topic: r.topic,
          key: r.key,
          value: r.value,
          headers: {},
          eventId: r.event_id ?? undefined,
          type: eventAttributesOf(r.value, {}).type,
          error: r.error,
          attempts: r.attempts,
          firstSeen: new Date(r.created_at),
          status: r.status,
          reason: r.reason ?? undefined,
        });
      }
    }
    return out;
  }

  async replay(letter: DeadLetter): Promise<void> {
    let envelope: { id?: unknown; type?: unknown };
    try {
      envelope = JSON.parse(letter.value) as { id?: unknown; type?: unknown };
    } catch {
      throw new Error(`${letter.ref} is not JSON: it can only be discarded`);
    }
    if (typeof envelope?.id !== 'string' || typeof envelope?.type !== 'string')
      throw new Error(`${letter.ref} is not a CloudEvent with an id and a type: it can only be discarded`);
    await this.dataSource(letter).transaction(async (m) => {
      await this.resolve(m, letter, 'replayed', null);
      const [own] = await m.query<({ seq: string } | undefined)[]>(`SELECT seq FROM outbox WHERE event_id = $1`, [
        envelope.id,
      ]);
      if (own) await m.query(`INSERT INTO outbox_pending (seq) VALUES ($1) ON CONFLICT DO NOTHING`, [own.seq]);
      else {
        await m.query(
          `WITH added AS (INSERT INTO outbox (event_id, topic, key, type, envelope) VALUES ($1, $2, $3, $4, $5) RETURNING seq)
           INSERT INTO outbox_pending (seq) SELECT seq FROM added`,
          [envelope.id, letter.topic, letter.key, envelope.type, letter.value],
        );
      }
    });
  }

  async discard(letter: DeadLetter, reason: string): Promise<void> {
    await this.dataSource(letter).transaction((m) => this.resolve(m, letter, 'discarded', reason));
  }

  async pendingCounts(): Promise<{ group: string; topic: string; count: number }[]> {
    const out: { group: string; topic: string; count: number }[] = [];
    for (const [group, ds] of this.groups) {
      const rows: { topic: string; n: number }[] = await ds.query(
        `SELECT topic, count(*)::int AS n FROM dead_letters WHERE consumer = $1 AND status = 'pending' GROUP BY topic`,
        [group],
      );
      out.push(...rows.map((r) => ({ group, topic: r.topic, count: r.n })));
    }
    return out;
  }

  private dataSource(letter: DeadLetter): DataSource {
    const ds = this.groups.get(letter.group);
    if (!ds) throw new Error(`no data source for consumer group ${letter.group}`);
    return ds;
  }

  private async resolve(
    m: { query(sql: string, params: unknown[]): Promise<unknown[]> },
    letter: DeadLetter,
    status: 'replayed' | 'discarded',
    reason: string | null,
  ): Promise<void> {
    const id = letter.ref.replace(/^dead_letters#/, '');
    const updated = await m.query(
      `UPDATE dead_letters SET status = $2, reason = $3, resolved_at = now() WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, status, reason],
    );
    // TypeORM returns [rows, count] for UPDATE … RETURNING
    const rows = Array.isArray(updated[0]) ? (updated[0] as unknown[]) : updated;
    if (rows.length === 0) throw new Error(`${letter.ref} is no longer pending`);
  }
}
