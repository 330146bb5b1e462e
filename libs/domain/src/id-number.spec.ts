import { idNumberProblem } from './id-number';

describe('resident ID number (GB 11643)', () => {
  it.each(['11010519491231002X', '440524188001010014'])('accepts the reference example %s', (value) => {
    expect(idNumberProblem(value)).toBeNull();
  });

  it.each([
    ['110105194912310021', 'check character'],
    ['440524188001010015', 'check character'],
    ['11010519491331002X', 'not a real date'],
    ['11010519490229002X', 'not a real date'],
    ['1101051949123100', '18 characters'],
    ['11010519491231002x', 'digit or X'],
    ['A1010519491231002X', 'digit or X'],
  ])('rejects %s (%s)', (value, reason) => {
    expect(idNumberProblem(value)).toContain(reason);
  });

  it('rejects a birth date in the future', () => {
    expect(idNumberProblem('11010520991231002X', new Date('2026-11-28'))).toContain('future');
  });
});
