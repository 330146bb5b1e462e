import { answerLanguage, PROBLEM_TYPES, problemCodeOf, problemText, problemTypeUri } from './problem-types';

describe('problem types', () => {
  it.each([
    [400, undefined, 'validation'],
    [400, 'malformed-body', 'malformed-body'],
    [401, undefined, 'unauthenticated'],
    [403, undefined, 'forbidden'],
    [404, undefined, 'not-found'],
    [409, undefined, 'conflict/state'],
    [409, 'conflict/in-progress', 'conflict/in-progress'],
    [409, 'not-a-code', 'conflict/state'],
    // a named code of another status is not believed: the status decides
    [404, 'conflict/in-progress', 'not-found'],
    [413, undefined, 'payload-too-large'],
    [415, undefined, 'unsupported-media-type'],
    [422, undefined, 'idempotency-key-reused'],
    [429, undefined, 'rate-limited'],
    [500, undefined, 'internal'],
    [502, undefined, 'internal'],
    [503, undefined, 'unavailable'],
  ])('status %d named %s is %s', (status, named, code) => {
    expect(problemCodeOf(status, named)).toBe(code);
  });

  it('gives every kind a status that picks it or a thrower that names it', () => {
    for (const [code, kind] of Object.entries(PROBLEM_TYPES)) expect(problemCodeOf(kind.status, code)).toBe(code);
  });

  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en;q=0.5, zh-CN;q=0.8', 'zh'],
    ['fr-FR, en;q=0.7', 'en'],
    ['fr-FR', 'zh'],
    ['en;q=0, zh;q=0.1', 'zh'],
    ['*', 'zh'],
  ])('Accept-Language %j answers in %s', (header, language) => {
    expect(answerLanguage(header)).toBe(language);
  });

  it('answers in Chinese with the English alongside, or the other way round', () => {
    expect(problemText('not-found', 'no such list entry', 'zh')).toEqual({
      title: '资源不存在或不在调用方可见范围内',
      detail: '资源不存在或不在调用方可见范围内：no such list entry',
      alongside: { detailEn: 'no such list entry' },
    });
    expect(problemText('not-found', 'no such list entry', 'en')).toEqual({
      title: 'No such resource within the caller’s reach',
      detail: 'no such list entry',
      alongside: { detailZh: '资源不存在或不在调用方可见范围内：no such list entry' },
    });
  });

  it('keeps a detail that is already in Chinese as the Chinese text', () => {
    const text = problemText('validation', '导入失败：第 3 行日期不合法', 'zh');
    expect(text.detail).toBe('导入失败：第 3 行日期不合法');
  });

  it('names each type by a URI under one base', () => {
    expect(problemTypeUri('conflict/state')).toBe('/api/docs/problems/conflict/state');
  });
});
