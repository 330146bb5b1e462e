/** A message a feed gives the relay, as it is sent. */
export interface FeedMessage {
  topic: string;
  key: string;
  type: string;
  envelope: string;
}

/** The next messages of a feed after its cursor, and the position the cursor moves to once they are sent. */
export interface FeedBatch {
  /** The last position read (rows the feed does not send, if any, are passed over with the others). */
  position: string;
  /** How many rows were read up to `position` (a full batch: more may follow at once). */
  read: number;
  messages: FeedMessage[];
}

/**
 * A table a service writes anyway whose rows are also its events (measures' task feed, `task_changes`):
 * the relay sends them by cursor instead of from a copy in the outbox. The feed's order must be its
 * commit order (a row never commits below one already read), and its cursor must live in the service's
 * database. `next` and `advance` run on the relay's connection, under its lock: the cursor moves only once
 * the bus accepted the batch, so a crash resends from the cursor (at least once), never skips.
 */
export interface RelayFeed {
  /** The feed's name, in logs. */
  readonly name: string;
  /**
   * Up to `limit` rows after the cursor, or after `position` (a batch read before, not yet sent: the
   * relay reads the next batch while the bus takes the last), in feed order; undefined when there are none.
   */
  next(limit: number, position?: string): Promise<FeedBatch | undefined>;
  /** Moves the cursor to `position`: everything up to it is sent. */
  advance(position: string): Promise<void>;
  /** Unsent rows and the age of the oldest, in seconds (0 when none). */
  backlogStats(): Promise<{ n: number; age: number }>;
  /** Unsent rows older than `seconds`, counted up to `cap` (a bounded query however large the backlog). */
  staleBacklog(seconds: number, cap: number): Promise<number>;
}
