import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What became of dead letters (replayed or discarded, and why). On the in-process bus the letters are
 * rows of `dead_letters`, which get the reason and the time. On Kafka they are messages of the
 * dead-letter topics, which cannot be changed: `dead_letter_resolutions` records, in the consumer
 * group's own schema, which of those messages (topic, partition, offset) have been handled; the others
 * are pending.
 */
export class DeadLetterResolutions1764300000301 implements MigrationInterface {
  name = 'DeadLetterResolutions1764300000301';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dead_letters ADD COLUMN reason text, ADD COLUMN resolved_at timestamptz`);
    await q.query(`
      CREATE TABLE dead_letter_resolutions (
        dlq_topic text NOT NULL,
        partition int NOT NULL,
        "offset" bigint NOT NULL,
        event_id text,
        status text NOT NULL CHECK (status IN ('replayed', 'discarded')),
        reason text,
        resolved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dlq_topic, partition, "offset")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letter_resolutions`);
    await q.query(`ALTER TABLE dead_letters DROP COLUMN reason, DROP COLUMN resolved_at`);
  }
}
