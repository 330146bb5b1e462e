import { isValidIdNumber, isValidUscc } from '@jrp/domain';
import { makeIdNumber, makeUscc } from './identifiers';

describe('test identifiers', () => {
  it('makes distinct valid USCCs', () => {
    const codes = Array.from({ length: 2000 }, (_, i) => makeUscc(i));
    expect(codes.every(isValidUscc)).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });
  it('makes valid ID numbers', () => {
    expect(Array.from({ length: 100 }, (_, i) => makeIdNumber(i)).every(isValidIdNumber)).toBe(true);
  });
});
