import { eventIdOf, TaskChangedData, TaskChangeType, TaskEventOfChange, Topics } from '@jrp/contracts';
import { OutboxService } from '@jrp/messaging';
import { TaskEventFeed, taskEventOf } from './task-event-feed';
import { UnsentFeedRow } from './task-feed.repository';

const outbox = new OutboxService('/jrp/measures');

const task = (over: Partial<TaskChangedData> = {}): TaskChangedData => ({
  taskId: '0b5f4a4e-1a47-5d3c-9d7e-3c1f6a2b9e01',
  version: 3,
  entryId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  entryVersion: 2,
  organization: 'AH-RAILWAY',
  organizationName: '中国铁路上海局集团有限公司合肥站',
  listType: 'BL-COURT-DEBTOR',
  listTypeName: '失信被执行人',
  region: '340100',
  subject: { kind: 'legal', name: '安徽测试建设有限公司1 "引号" \\ 反斜杠', uscc: '91340100MA2N0X0X1X' },
  measures: [],
  status: 'open',
  disputed: false,
  dueAt: '2026-12-10T15:59:59.999Z',
  changedAt: '2026-12-03T05:06:07.089Z',
  acknowledgedAt: null,
  returnReason: null,
  ...over,
});

/** The row the feed stores for a change, as the relay reads it back. */
const rowOf = (type: TaskChangeType, t: TaskChangedData, correlationId: string | null): UnsentFeedRow => ({
  seq: '42',
  taskId: t.taskId,
  type,
  taskVersion: t.version,
  task: JSON.stringify(t),
  eventKey: t.entryId,
  changedAt: new Date(t.changedAt),
  correlationId,
});

/** What TaskWriter appended to the outbox for the same change before the feed carried the events. */
const formerly = (type: TaskChangeType, t: TaskChangedData, correlationId: string | undefined) =>
  outbox.envelopeOf(
    {
      id: eventIdOf('task', t.taskId, t.version, TaskEventOfChange[type]),
      type: TaskEventOfChange[type],
      key: t.entryId,
      subject: `tasks/${t.taskId}`,
      data: t,
      time: new Date(t.changedAt),
    },
    correlationId,
  );

describe('taskEventOf: a feed row as the event the outbox used to hold', () => {
  it.each<[string, TaskChangeType, TaskChangedData, string | null]>([
    ['a dispatch with a request id', 'dispatched', task({ version: 1 }), 'req-12345678'],
    ['a dispatch of an input event without one', 'dispatched', task({ version: 1 }), null],
    [
      'a receipt',
      'acknowledged',
      task({ status: 'acknowledged', acknowledgedAt: '2026-12-03T05:06:07.000Z' }),
      'r-abcdefgh',
    ],
    [
      'a revocation with its reason',
      'revoked',
      task({ status: 'revoked', revocation: { reason: 'removal', at: '2026-12-03T05:06:07.089Z' } as never }),
      null,
    ],
    ['a time given with microseconds', 'updated', task({ changedAt: '2026-12-03T05:06:07.089123Z' }), 'req-12345678'],
  ])('%s: same topic, key, type and envelope bytes', (_, type, t, correlationId) => {
    expect(taskEventOf(rowOf(type, t, correlationId))).toEqual({
      topic: Topics.Task,
      key: t.entryId,
      type: TaskEventOfChange[type],
      envelope: formerly(type, t, correlationId ?? undefined),
    });
  });

  it.each<[string, Partial<UnsentFeedRow>]>([
    ['no key', { eventKey: null }],
    ['no time', { changedAt: null }],
  ])('has no event for a row written before the feed carried them (%s): its event is in the outbox', (_, over) => {
    expect(taskEventOf({ ...rowOf('dispatched', task(), null), ...over })).toBeUndefined();
  });
});

describe('TaskEventFeed wake-ups', () => {
  it('wakes the relay for another process’s commits, not again for its own (the writer woke it on commit)', () => {
    let listener!: (organizations: ReadonlySet<string> | '*', ownCommit: boolean) => void;
    const notifier = { subscribe: (l: typeof listener) => ((listener = l), () => undefined) };
    const relay = { addFeed: () => undefined };
    const wakes: number[] = [];
    const measures = new OutboxService('/jrp/measures');
    measures.onWake(() => wakes.push(1));
    const feed = new TaskEventFeed({} as never, measures, relay as never, notifier as never);
    feed.onModuleInit();
    listener(new Set(['AH-TAX']), true);
    expect(wakes).toHaveLength(0);
    listener(new Set(['AH-TAX']), false);
    listener('*', false);
    expect(wakes).toHaveLength(2);
  });
});
