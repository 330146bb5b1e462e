import { safeText, textErrors, textProblem } from './text-input';

describe('textProblem', () => {
  it.each([
    ['plain Chinese', '安徽某某建设有限公司', undefined],
    ['tab and line breaks', 'a\tb\r\nc', undefined],
    ['a pair of surrogates (an emoji)', '公司😀', undefined],
    ['a character outside the BMP (CJK extension B)', '𠀀', undefined],
    ['NUL', 'a\u0000b', /NUL.*空字符/],
    ['a lone high surrogate', 'a\uD800b', /unpaired surrogate/],
    ['a lone high surrogate at the end', 'a\uD83D', /unpaired surrogate/],
    ['a lone low surrogate', '\uDC00a', /unpaired surrogate/],
    ['reversed surrogates', '\uDE00\uD83D', /unpaired surrogate/],
    ['a bell', 'a\u0007', /U\+0007.*控制字符/],
    ['escape', '\u001B[31m', /U\+001B/],
    ['DEL', '\u007F', /U\+007F/],
    ['a C1 control', '\u0085', /U\+0085/],
    ['the noncharacter U+FFFF', '\uFFFF', /U\+FFFF/],
  ])('%s', (_, value, expected) => {
    const problem = textProblem(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('textErrors', () => {
  it('names every bad text by its path, keys too, and skips the fields checked per item', () => {
    const body = {
      name: 'ok',
      subject: { name: 'a\u0000', list: ['ok', '\uD800'] },
      ['bad\u0000key']: 1,
      entries: [{ name: '\u0000' }],
    };
    const summary = (errors: { field: string; message: string }[]) => errors.map((e) => `${e.field}: ${e.message}`);
    const checked = summary(textErrors(body, '', new Set(['entries'])));
    expect(checked).toHaveLength(3);
    expect(checked[0]).toMatch(/^subject\.name: .*NUL/);
    expect(checked[1]).toMatch(/^subject\.list\.1: .*surrogate/);
    expect(checked[2]).toMatch(/^bad\uFFFDkey: the field name/);
    expect(textErrors(body)).toHaveLength(4);
    expect(summary(textErrors('a\u0001', 'id'))).toEqual([expect.stringMatching(/^id: .*U\+0001/) as string]);
    expect(textErrors(42)).toEqual([]);
  });
});

describe('safeText', () => {
  it('replaces exactly what textProblem refuses', () => {
    expect(safeText('a\u0000b\uD800c\u0007d😀\te')).toBe('a\uFFFDb\uFFFDc\uFFFDd😀\te');
    expect(textProblem(safeText('\u0000\uDC00\u009F'))).toBeUndefined();
  });
});
