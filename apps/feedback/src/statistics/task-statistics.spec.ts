import type { DataSource } from 'typeorm';
import type { KnownTaskRow } from '../task-copy/task-copy.repository';
import { RollupsRepository } from './rollups.repository';
import { TaskStatistics } from './task-statistics';
import { CurrentItem, TaskStatisticsRepository } from './task-statistics.repository';

const at = new Date('2026-01-10T02:00:00.000Z');
const id = '50000000-0000-4000-8000-000000000000';
const task = {
  id: 't1',
  organization: 'A',
  listType: 'L',
  city: '340100',
  dispatchedOn: '2026-01-06',
  dueAt: new Date('2026-01-20T15:59:59.999Z'),
  revokedAt: null,
  acknowledgedAt: new Date('2026-01-07T01:00:00.000Z'),
} as KnownTaskRow;

const item = (measureId: string, memorandum: string, over: Partial<CurrentItem> = {}): CurrentItem => ({
  measureId,
  memorandum,
  outcome: null,
  finalAt: null,
  feedbackId: null,
  feedbackUpdatedAt: null,
  ...over,
});

/** `added` (a feedback 50000000-… at `at`) on a task whose items' current outcomes are `current`: its parts' SQL and parameters. */
function added(current: CurrentItem[], items: { measureId: string; outcome: string }[]) {
  const statistics = new TaskStatistics(new TaskStatisticsRepository({} as DataSource), {} as RollupsRepository);
  const { parts, measureOrder } = statistics.added({ task, items: current }, { id, at, items });
  const written = parts.map((part) => {
    const params: unknown[] = [];
    const sql = part(params);
    return sql === null ? null : { sql: sql.replace(/\s+/g, ' '), params };
  });
  return { written, measureOrder };
}

describe('TaskStatistics.added (a new feedback, its effect computed)', () => {
  it('makes its items current where the current feedback is older, keeps a final time, and adds the difference', () => {
    const { written, measureOrder } = added(
      [
        item('M1', 'A'),
        item('M2', 'A', {
          outcome: 'implemented',
          finalAt: new Date('2026-01-08'),
          feedbackId: 'f0000000-0000-4000-8000-000000000000', // a greater id, recorded earlier
          feedbackUpdatedAt: new Date('2026-01-08'),
        }),
        // a later standing feedback gives M3 its outcome: the new one does not take its place
        item('M3', 'B', {
          outcome: 'no-business',
          finalAt: new Date('2026-01-09'),
          feedbackId: '10000000-0000-4000-8000-000000000000',
          feedbackUpdatedAt: new Date('2026-01-11'),
        }),
      ],
      [
        { measureId: 'M3', outcome: 'implemented' },
        { measureId: 'M1', outcome: 'not-applicable' },
        { measureId: 'M2', outcome: 'no-business' },
      ],
    );
    expect(measureOrder).toEqual(['M1', 'M2', 'M3']);
    const [items, fedBack, taskRollup, itemRollup] = written;
    expect(items!.sql).toContain('UPDATE task_items');
    expect(JSON.parse(items!.params[1] as string)).toEqual([
      { measure_id: 'M1', outcome: 'not-applicable', final_at: at.toISOString(), feedback_id: id },
      {
        measure_id: 'M2',
        outcome: 'no-business',
        final_at: '2026-01-08T00:00:00.000Z',
        feedback_id: id,
      },
    ]);
    // every item final now, the last at `at`
    expect(fedBack).toEqual({ sql: 'UPDATE known_tasks SET fed_back_at = $2 WHERE id = $1', params: ['t1', at] });
    // fed back and on time now; 3 final items instead of 2, none implemented instead of 1
    const key = ['2026-01-06', 'A', 'L', '340100'];
    expect(taskRollup!.params).toEqual([...key, 0, 0, 0, 1, 1, 1, -1]);
    // per memorandum: A's two items final (one more), neither implemented; B unchanged, so not written
    expect(itemRollup!.params).toEqual(['2026-01-06', 'A', 'A', 'L', '340100', 0, 0, 0, 1, 1, 1, -1]);
  });

  it('breaks a tie of times by the id, as PostgreSQL orders uuids', () => {
    const current = (feedbackId: string) => [
      item('M1', 'A', { outcome: 'in-progress', feedbackId, feedbackUpdatedAt: at }),
    ];
    const changed = (feedbackId: string) => added(current(feedbackId), [{ measureId: 'M1', outcome: 'in-progress' }]);
    expect(changed('40000000-0000-4000-8000-000000000000').written[0]).not.toBeNull();
    expect(changed('a0000000-0000-4000-8000-000000000000').written[0]).toBeNull();
  });

  it('writes no item and adds nothing when a later feedback stays current for every item', () => {
    const { written } = added(
      [
        item('M1', 'A', {
          outcome: 'in-progress',
          feedbackId: '10000000-0000-4000-8000-000000000000',
          feedbackUpdatedAt: new Date(at.getTime() + 1),
        }),
      ],
      [{ measureId: 'M1', outcome: 'implemented' }],
    );
    const [items, fedBack, taskRollup, itemRollup] = written;
    expect(items).toBeNull();
    expect(fedBack!.params).toEqual(['t1', null]);
    expect(taskRollup).toBeNull();
    expect(itemRollup).toBeNull();
  });
});
