import { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox, inbox and dead-letter tables every service keeps in its own schema. */
export class MessagingTables1764300000000 implements MigrationInterface {
  name = 'MessagingTables1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        topic text NOT NULL,
        key text NOT NULL,
        type text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // What the relay has not sent yet: a narrow queue beside the outbox, so sending an event deletes a
    // small row instead of rewriting the event's.
    await q.query(`CREATE TABLE outbox_pending (seq bigint PRIMARY KEY REFERENCES outbox (seq))`);
    await q.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`
      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        consumer text NOT NULL,
        topic text NOT NULL,
        key text NOT NULL,
        event_id text,
        value text NOT NULL,
        error text NOT NULL,
        attempts int NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'replayed', 'discarded')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dead_letters_pending ON dead_letters (consumer, id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letters`);
    await q.query(`DROP TABLE inbox`);
    await q.query(`DROP TABLE outbox_pending`);
    await q.query(`DROP TABLE outbox`);
  }
}
