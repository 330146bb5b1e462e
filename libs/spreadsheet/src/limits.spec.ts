import { inflateExcess, RATIO_GRACE_BYTES, sheetBoundProblem } from './limits';

const MB = 1024 * 1024;

describe('inflateExcess', () => {
  it.each([
    ['nothing bounded', 10 * MB, 1, {}, null],
    ['within the size', 10 * MB, 1 * MB, { maxBytes: 10 * MB }, null],
    ['past the size', 10 * MB + 1, 1 * MB, { maxBytes: 10 * MB }, 'size'],
    ['a high ratio inside the grace', RATIO_GRACE_BYTES, 1, { maxRatio: 100 }, null],
    ['a high ratio past the grace', RATIO_GRACE_BYTES + 1, 1, { maxRatio: 100 }, 'ratio'],
    ['exactly the ratio', 200 * MB, 2 * MB, { maxRatio: 100 }, null],
    ['just past the ratio', 200 * MB + 1, 2 * MB, { maxRatio: 100 }, 'ratio'],
    ['an empty compressed entry that inflates', 2 * MB, 0, { maxRatio: 100 }, 'ratio'],
    ['size before ratio', 50 * MB, 1, { maxBytes: 10 * MB, maxRatio: 100 }, 'size'],
    ['a real worksheet (8.4:1)', 56_129_631, 6_711_684, { maxBytes: 2048 * MB, maxRatio: 100 }, null],
  ] as const)('%s', (_name, inflated, compressed, bound, expected) => {
    expect(inflateExcess(inflated, compressed, bound)).toBe(expected);
  });
});

describe('sheetBoundProblem', () => {
  const limits = { maxRows: 100, maxColumns: 20 };
  it.each([
    ['inside', 100, 20, null],
    ['an empty row', 1, 0, null],
    ['a row past the last', 101, 1, '工作表「措施」超过 100 行，无法导入'],
    ['a cell past the last column', 7, 21, '工作表「措施」第 7 行超过 20 列，无法导入'],
    ['both: the row is named first', 101, 21, '工作表「措施」超过 100 行，无法导入'],
  ] as const)('%s', (_name, row, column, expected) => {
    expect(sheetBoundProblem('措施', row, column, limits)).toBe(expected);
  });
});
