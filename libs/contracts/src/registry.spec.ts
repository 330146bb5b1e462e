import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AuditEvents, CatalogueEvents, FeedbackEvents, ListEntryEvents, TaskEvents, TokenEvents } from './event-types';
import { EVENT_DATA_CLASSES } from './registry';
import { TaskChangedData, TaskHeldData, TaskLiftedData, TaskReleasedData } from './task.contract';

const task = {
  taskId: '6c6b0a7e-7d3c-4f0e-9a43-0d5f0e1f3a11',
  version: 3,
  entryId: '7d7b0a7e-7d3c-4f0e-9a43-0d5f0e1f3a12',
  entryVersion: 2,
  organization: 'AH-RAILWAY',
  organizationName: '中国铁路上海局集团有限公司',
  listType: 'BL-COURT-DEBTOR',
  listTypeName: '失信被执行人名单',
  region: '340104',
  subject: { kind: 'legal', name: '某公司' },
  measures: [{ id: 'M01-01', text: '限制乘坐火车高级别席位' }],
  status: 'revoked',
  changedAt: '2026-11-21T02:00:00.000Z',
};
const revocation = { reason: 'removal', revokedAt: '2026-11-20T02:00:00.000Z', liftBy: '2026-11-27T15:59:59.999Z' };
const lifting = { liftedAt: '2026-11-21T00:00:00.000Z', note: null, confirmedAt: '2026-11-21T02:00:00.000Z' };

const problems = async (cls: new () => object, data: object) =>
  (await validate(plainToInstance(cls, data), { whitelist: false, forbidUnknownValues: false })).map((e) => e.property);

describe('the event contracts', () => {
  it('has a payload class for every event type', () => {
    const types = [ListEntryEvents, TaskEvents, FeedbackEvents, CatalogueEvents, TokenEvents, AuditEvents].flatMap(
      (group) => Object.values(group),
    );
    expect(types.filter((t) => !EVENT_DATA_CLASSES[t])).toEqual([]);
    expect(EVENT_DATA_CLASSES[TaskEvents.Lifted]).toBe(TaskLiftedData);
    expect(EVENT_DATA_CLASSES[TaskEvents.Held]).toBe(TaskHeldData);
    expect(EVENT_DATA_CLASSES[TaskEvents.Released]).toBe(TaskReleasedData);
  });

  it.each([
    [TaskHeldData, 'on-hold', []],
    [TaskHeldData, 'open', ['status']],
    [TaskReleasedData, 'open', []],
    [TaskReleasedData, 'acknowledged', []],
    [TaskReleasedData, 'on-hold', ['status']],
    [TaskReleasedData, 'revoked', ['status']],
  ] as const)('checks the status of %p: %s', async (cls, status, expected) => {
    expect(await problems(cls, { ...task, status, dueAt: null })).toEqual(expected);
  });

  it('requires the revocation and the lifting of jrp.task.lifted, and checks them', async () => {
    expect(await problems(TaskLiftedData, { ...task, revocation, lifting })).toEqual([]);
    expect(await problems(TaskLiftedData, { ...task, revocation })).toEqual(['lifting']);
    expect(await problems(TaskLiftedData, { ...task, lifting, revocation: null })).toEqual(['revocation']);
    expect(await problems(TaskLiftedData, { ...task, revocation, lifting: { ...lifting, liftedAt: 'soon' } })).toEqual([
      'lifting',
    ]);
    expect(await problems(TaskLiftedData, { ...task, lifting, revocation: { ...revocation, reason: 'whim' } })).toEqual(
      ['revocation'],
    );
  });

  it('keeps the revocation and the lifting optional on the other task events', async () => {
    expect(await problems(TaskChangedData, { ...task, status: 'open' })).toEqual([]);
    expect(await problems(TaskChangedData, { ...task, revocation })).toEqual([]);
    expect(await problems(TaskChangedData, { ...task, revocation: { ...revocation, revokedAt: 'x' } })).toEqual([
      'revocation',
    ]);
  });
});
