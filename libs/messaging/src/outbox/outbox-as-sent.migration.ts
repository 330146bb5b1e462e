import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox keeps each event as the text the relay sends (`json`, not `jsonb`): written once, read once,
 * never queried by field on the hot path, so PostgreSQL need not build and print a binary form and the
 * relay need not parse and re-serialize it. `->`/`->>` still work for inspection. `outbox_pending` loses
 * its foreign key: rows only enter it in the statement that creates their outbox row, and outbox rows
 * are never deleted, so the check cost a lookup per event and guarded nothing.
 */
export class OutboxAsSent1764300000302 implements MigrationInterface {
  name = 'OutboxAsSent1764300000302';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_pending DROP CONSTRAINT IF EXISTS outbox_pending_seq_fkey`);
    await q.query(`ALTER TABLE outbox ALTER COLUMN envelope TYPE json USING envelope::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN envelope TYPE jsonb USING envelope::jsonb`);
    await q.query(
      `ALTER TABLE outbox_pending ADD CONSTRAINT outbox_pending_seq_fkey FOREIGN KEY (seq) REFERENCES outbox (seq)`,
    );
  }
}
