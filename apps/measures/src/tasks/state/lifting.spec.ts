import type { TaskLiftingData, TaskRevocationData } from '@jrp/contracts';
import { decideLifting } from './lifting';

// revoked at 10:00 on 2026-11-20 in Asia/Shanghai; now is 2026-11-25 12:00 there
const revocation = (reason: TaskRevocationData['reason']): TaskRevocationData => ({
  reason,
  revokedAt: '2026-11-20T02:00:00.000Z',
  liftBy: reason === 'rematch' ? null : '2026-11-27T15:59:59.999Z',
});
const lifting: TaskLiftingData = {
  liftedAt: '2026-11-21T00:00:00.000Z',
  note: null,
  confirmedAt: '2026-11-21T01:00:00Z',
};
const now = new Date('2026-11-25T04:00:00Z');

describe('decideLifting: may the organisation confirm the lifting, as of when?', () => {
  it.each([
    {
      name: 'a removal, lifted after it',
      task: { status: 'revoked', revocation: revocation('removal') },
      at: '2026-11-21T09:00:00+08:00',
      kind: 'confirm',
    },
    {
      name: 'a repair, lifted the same day (a date)',
      task: { status: 'revoked', revocation: revocation('repair') },
      at: '2026-11-20',
      kind: 'confirm',
    },
    {
      name: 'an expiry, lifted today (a date)',
      task: { status: 'revoked', revocation: revocation('expiry') },
      at: '2026-11-25',
      kind: 'confirm',
    },
    {
      name: 'an upheld objection, lifted now',
      task: { status: 'revoked', revocation: revocation('objection-upheld') },
      at: now.toISOString(),
      kind: 'confirm',
    },
    {
      name: 'a second confirmation returns the first',
      task: { status: 'revoked', revocation: revocation('removal'), lifting },
      at: '2026-11-24',
      kind: 'already',
    },
    {
      name: 'an open task is not revoked',
      task: { status: 'open', revocation: null },
      at: '2026-11-21',
      kind: 'conflict',
    },
    {
      name: 'an acknowledged task is not revoked',
      task: { status: 'acknowledged' },
      at: '2026-11-21',
      kind: 'conflict',
    },
    {
      name: 'a rematch owes no lifting',
      task: { status: 'revoked', revocation: revocation('rematch') },
      at: '2026-11-21',
      kind: 'conflict',
    },
    {
      name: 'a revocation recorded before lifting existed',
      task: { status: 'revoked', revocation: null },
      at: '2026-11-21',
      kind: 'conflict',
    },
    {
      name: 'lifted before the revocation (a time)',
      task: { status: 'revoked', revocation: revocation('removal') },
      at: '2026-11-20T09:59:59+08:00',
      kind: 'invalid',
    },
    {
      name: 'lifted the day before (a date)',
      task: { status: 'revoked', revocation: revocation('removal') },
      at: '2026-11-19',
      kind: 'invalid',
    },
    {
      name: 'lifted in the future (a time)',
      task: { status: 'revoked', revocation: revocation('removal') },
      at: '2026-11-25T12:00:01+08:00',
      kind: 'invalid',
    },
    {
      name: 'lifted tomorrow (a date)',
      task: { status: 'revoked', revocation: revocation('removal') },
      at: '2026-11-26',
      kind: 'invalid',
    },
  ] as const)('$name → $kind', ({ task, at, kind }) => {
    expect(decideLifting(task, at, now).kind).toBe(kind);
  });

  it('keeps the first confirmation and says which bound a refused time breaks', () => {
    expect(decideLifting({ status: 'revoked', revocation: revocation('removal'), lifting }, '2026-11-24', now)).toEqual(
      {
        kind: 'already',
        lifting,
      },
    );
    expect(decideLifting({ status: 'revoked', revocation: revocation('removal') }, '2026-11-19', now)).toEqual({
      kind: 'invalid',
      message: '解除时间不得早于任务撤销时间',
    });
    expect(decideLifting({ status: 'revoked', revocation: revocation('removal') }, '2026-11-26', now)).toEqual({
      kind: 'invalid',
      message: '解除时间不得晚于当前时间',
    });
  });
});
