import {
  fedBackAt,
  feedbackRate,
  isDue,
  isOverdue,
  itemCounters,
  taskCounters,
  TaskFacts,
  timelinessRate,
} from './definitions';

const due = new Date('2026-02-27T15:59:59.999Z');
const t = (over: Partial<TaskFacts> = {}): TaskFacts => ({
  organization: 'A',
  listType: 'L',
  city: '340100',
  day: '2026-02-13',
  dueAt: due,
  revokedAt: null,
  acknowledgedAt: null,
  items: [{ memorandum: 'M01', finalAt: null, implemented: false }],
  ...over,
});
const final = (iso: string, implemented = true, memorandum = 'M01') => ({
  memorandum,
  finalAt: new Date(iso),
  implemented,
});

describe('the definitions', () => {
  it('counts a task as due unless it was revoked before its due date', () => {
    expect(isDue(t())).toBe(true);
    expect(isDue(t({ revokedAt: new Date('2026-02-20T00:00:00Z') }))).toBe(false);
    expect(isDue(t({ revokedAt: due }))).toBe(true); // at the due date itself: it was due
    expect(isDue(t({ revokedAt: new Date('2026-03-01T00:00:00Z') }))).toBe(true);
    expect(isDue(t({ dueAt: null, revokedAt: new Date('2026-03-01T00:00:00Z') }))).toBe(false);
  });

  it('feeds a task back when every item has a final outcome, at the time of the last one', () => {
    expect(fedBackAt([])).toBeNull();
    expect(fedBackAt([final('2026-02-20T00:00:00Z'), { finalAt: null }])).toBeNull();
    expect(fedBackAt([final('2026-02-20T00:00:00Z'), final('2026-02-25T00:00:00Z')])).toEqual(
      new Date('2026-02-25T00:00:00Z'),
    );
  });

  it('is on time at or before the due date, late after it, overdue when nothing came by then', () => {
    expect(taskCounters(t({ items: [final('2026-02-27T15:59:59.999Z')] }))).toMatchObject({
      due: 1,
      fedBack: 1,
      onTime: 1,
    });
    expect(taskCounters(t({ items: [final('2026-02-27T16:00:00.000Z')] }))).toMatchObject({
      due: 1,
      fedBack: 1,
      onTime: 0,
    });
    expect(isOverdue(t(), new Date('2026-02-28T00:00:00Z'))).toBe(true);
    expect(isOverdue(t(), new Date('2026-02-27T00:00:00Z'))).toBe(false);
    expect(isOverdue(t({ revokedAt: new Date('2026-02-20T00:00:00Z') }), new Date('2026-03-01T00:00:00Z'))).toBe(false);
  });

  it('never counts a task held by a pending objection as overdue: it has no due date while on hold', () => {
    expect(isOverdue(t({ dueAt: null }), new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('counts no feedback on a task revoked before its due date', () => {
    expect(
      taskCounters(t({ revokedAt: new Date('2026-02-20T00:00:00Z'), items: [final('2026-02-19T00:00:00Z')] })),
    ).toEqual({
      dispatched: 1,
      acknowledged: 0,
      due: 0,
      fedBack: 0,
      onTime: 0,
      itemsFinal: 0,
      itemsImplemented: 0,
    });
  });

  it('counts measure items per memorandum', () => {
    const counters = itemCounters(
      t({
        items: [
          final('2026-02-20T00:00:00Z', true, 'M01'),
          final('2026-02-28T00:00:00Z', false, 'M02'),
          { memorandum: 'M02', finalAt: null, implemented: false },
        ],
      }),
    );
    expect(counters.get('M01')).toMatchObject({ dispatched: 1, due: 1, fedBack: 1, onTime: 1, itemsImplemented: 1 });
    expect(counters.get('M02')).toMatchObject({ dispatched: 2, due: 2, fedBack: 1, onTime: 0, itemsImplemented: 0 });
  });

  it('rates fed back and on time against due, null when nothing is due', () => {
    expect(feedbackRate(2, 3)).toBe(0.6667);
    expect(timelinessRate(1, 3)).toBe(0.3333);
    expect(feedbackRate(0, 0)).toBeNull();
  });
});
