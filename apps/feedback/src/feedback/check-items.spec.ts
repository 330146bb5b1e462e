import { ConflictException } from '@nestjs/common';
import { FieldValidationException } from '@jrp/http';
import { checkItems } from './feedback.service';

const task = { id: 't', organization: 'A', city: '340100', measureIds: ['M1', 'M2'], status: 'open', revokedAt: null };
const errorsOf = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return (e as FieldValidationException).getResponse();
  }
  return null;
};

describe('checkItems', () => {
  it('accepts a valid partial feedback', () =>
    expect(() => checkItems(task, [{ measureId: 'M1', outcome: 'in-progress' }], '2026-11-30')).not.toThrow());

  it('refuses item by item', () => {
    const res = errorsOf(() =>
      checkItems(
        task,
        [
          { measureId: 'M9', outcome: 'no-business' },
          { measureId: 'M1', outcome: 'implemented', implementedAt: '2026-12-01' },
          { measureId: 'M1', outcome: 'not-applicable', implementedAt: '2026-11-01' },
        ],
        '2026-11-30',
      ),
    ) as { errors: { field: string; message: string }[] };
    expect(res.errors).toEqual([
      { field: 'items.0.measureId', message: 'M9 is not a measure of this task' },
      { field: 'items.1.implementedAt', message: 'is in the future' },
      { field: 'items.2.measureId', message: 'appears twice' },
      { field: 'items.2.implementedAt', message: 'is given only when the outcome is implemented' },
    ]);
  });

  it('on a revoked task takes only final outcomes of what happened by the revocation', () => {
    const revoked = { ...task, status: 'revoked', revokedAt: new Date('2026-11-20T02:00:00Z') };
    expect(() =>
      checkItems(revoked, [{ measureId: 'M1', outcome: 'implemented', implementedAt: '2026-11-20' }], '2026-11-30'),
    ).not.toThrow();
    expect(() =>
      checkItems(revoked, [{ measureId: 'M1', outcome: 'implemented', implementedAt: '2026-11-21' }], '2026-11-30'),
    ).toThrow(ConflictException);
    expect(() => checkItems(revoked, [{ measureId: 'M1', outcome: 'in-progress' }], '2026-11-30')).toThrow(
      ConflictException,
    );
  });

  it('refuses any feedback on a task held by a pending objection (暂停实施), in Chinese', () => {
    const held = { ...task, status: 'on-hold' };
    expect(() => checkItems(held, [{ measureId: 'M1', outcome: 'no-business' }], '2026-11-30')).toThrow(/暂停实施/);
    expect(() => checkItems(held, [{ measureId: 'M1', outcome: 'no-business' }], '2026-11-30')).toThrow(
      ConflictException,
    );
  });
});
