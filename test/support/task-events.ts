import { SchemaProbe } from '@jrp/testing';
import { taskEventOf } from '../../apps/measures/src/tasks/feed/task-event-feed';
import { taskChanges, UNSENT_COLUMNS, UnsentFeedRow } from '../../apps/measures/src/tasks/feed/task-feed.repository';

/** A task event as measures' relay sends it: its type, key, id and envelope (parsed), and the envelope's bytes. */
export interface SentTaskEvent<Data = Record<string, unknown>> {
  type: string;
  key: string;
  eventId: string;
  value: string;
  envelope: { id: string; type: string; correlationid?: string; data: Data } & Record<string, unknown>;
  data: Data;
}

/**
 * The task events of the feed rows `where` selects (`task_changes`, e.g. `task_id = $1`), in seq order,
 * built by the relay's own function (`taskEventOf`): what the tests used to read from measures'
 * outbox before the feed became the events' record.
 */
export async function taskEvents<Data = Record<string, unknown>>(
  measures: SchemaProbe,
  where: string,
  params: unknown[] = [],
): Promise<SentTaskEvent<Data>[]> {
  const rows = await measures.query<UnsentFeedRow>(
    `SELECT ${taskChanges.selectList(undefined, UNSENT_COLUMNS)} FROM task_changes WHERE ${where} ORDER BY seq`,
    params,
  );
  return rows.map((row) => {
    const message = taskEventOf(row);
    if (!message) throw new Error(`feed row ${row.seq} has no event (written before the feed carried them)`);
    const envelope = JSON.parse(message.envelope) as SentTaskEvent<Data>['envelope'];
    return {
      type: message.type,
      key: message.key,
      eventId: envelope.id,
      value: message.envelope,
      envelope,
      data: envelope.data,
    };
  });
}
