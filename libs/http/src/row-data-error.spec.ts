import { isRowDataError, rowDataErrorMessage } from './row-data-error';

describe('isRowDataError', () => {
  it.each([
    ['22008 datetime field overflow', { code: '22008' }, true],
    ['22021 invalid byte sequence (NUL)', { driverError: { code: '22021' } }, true],
    ['22P05 untranslatable character', { code: '22P05' }, true],
    ['22001 string too long', { code: '22001' }, true],
    ['23514 check violation', { code: '23514' }, true],
    ['54000 index row too large', { code: '54000' }, true],
    ['08006 connection failure', { code: '08006' }, false],
    ['57P01 admin shutdown', { code: '57P01' }, false],
    ['40001 serialization failure', { code: '40001' }, false],
    ['ECONNREFUSED', { code: 'ECONNREFUSED' }, false],
    ['no code', new Error('boom'), false],
    ['undefined', undefined, false],
  ])('%s → %s', (_, error, expected) => {
    expect(isRowDataError(error)).toBe(expected);
  });

  it('names the SQLSTATE in the reason, in Chinese first', () => {
    expect(rowDataErrorMessage({ code: '22008' })).toMatch(/^数据库拒绝保存该行.*SQLSTATE 22008/);
  });
});
