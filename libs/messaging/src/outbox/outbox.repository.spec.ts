import { appendCtes, appendStatements, NewOutboxRow, outbox } from './outbox.repository';

const row = (n: number): NewOutboxRow => ({
  eventId: `e-${n}`,
  topic: 'jrp.feedback',
  key: `k-${n}`,
  type: 'jrp.feedback.recorded',
  envelope: `{"id":"e-${n}"}`,
});

describe('OutboxRepository statements', () => {
  it('inserts the events and queues the seqs it created, in one statement, skipping stored ids', () => {
    const [statement, ...more] = appendStatements([row(1), row(2)], true);
    expect(more).toHaveLength(0);
    expect(statement.sql).toBe(
      'WITH added AS (INSERT INTO outbox (event_id, topic, key, type, envelope) VALUES ($1, $2, $3, $4, $5::json), ' +
        '($6, $7, $8, $9, $10::json) ON CONFLICT (event_id) DO NOTHING RETURNING seq) ' +
        'INSERT INTO outbox_pending (seq) SELECT seq FROM added',
    );
    expect(statement.parameters).toEqual([...Object.values(row(1)), ...Object.values(row(2))]);
  });

  it('fails on a stored id when asked to add a new event (a replay of a foreign one)', () => {
    const [statement] = appendStatements([row(1)], false);
    expect(statement.sql).not.toContain('ON CONFLICT');
  });

  it('writes 1,000 events per statement', () => {
    const statements = appendStatements(
      Array.from({ length: 2500 }, (_, i) => row(i)),
      true,
    );
    expect(statements.map((s) => s.parameters.length)).toEqual([5000, 5000, 2500]);
  });

  it("writes events as CTEs of a caller's statement, in order, numbering their parameters after the caller's", () => {
    const params: unknown[] = ['before'];
    expect(appendCtes([row(1), row(2)], params)).toBe(
      'outbox_added AS (INSERT INTO outbox (event_id, topic, key, type, envelope) SELECT event_id, topic, key, type, envelope ' +
        'FROM (VALUES (0, $2, $3, $4, $5, $6::json), (1, $7, $8, $9, $10, $11::json)) ' +
        'AS v (n, event_id, topic, key, type, envelope) ORDER BY n ' +
        'ON CONFLICT (event_id) DO NOTHING RETURNING seq), ' +
        'outbox_queued AS (INSERT INTO outbox_pending (seq) SELECT seq FROM outbox_added)',
    );
    expect(params).toEqual(['before', ...Object.values(row(1)), ...Object.values(row(2))]);
  });

  it('writes them only when the caller’s condition holds', () => {
    const params: unknown[] = [];
    expect(appendCtes([row(1)], params, 'EXISTS (SELECT 1 FROM new_entry)')).toContain(
      'AS v (n, event_id, topic, key, type, envelope) WHERE EXISTS (SELECT 1 FROM new_entry) ORDER BY n ',
    );
    expect(params).toEqual(Object.values(row(1)));
  });

  it('reads the envelope back as the stored text', () => {
    expect(outbox.selectList('o', ['seq', 'envelope'])).toBe('o.seq AS "seq", o.envelope::text AS "envelope"');
  });
});
