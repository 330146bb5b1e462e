import { makeIdNumber, makeUscc } from '@jrp/testing';
import { batchInputsOf, batchRowOf } from './batch-rows';

const TODAY = new Date('2026-11-10T02:00:00Z');
const ID = makeIdNumber(7);

describe('batchRowOf', () => {
  it.each([
    ['a legal subject', { uscc: makeUscc(1) }, { kind: 'legal', identifier: makeUscc(1), idType: null }],
    ['a person, resident ID by default', { idNumber: ID }, { kind: 'natural', identifier: ID, idType: 'resident-id' }],
    [
      'a person, 证件类型 as its Chinese label, cells trimmed',
      { idType: ' 居民身份证 ', idNumber: ` ${ID.toLowerCase()} ` },
      { kind: 'natural', identifier: ID, idType: 'resident-id' },
    ],
    [
      'blank cells are absent',
      { uscc: makeUscc(2), idType: '', idNumber: '  ' },
      { kind: 'legal', identifier: makeUscc(2), idType: null },
    ],
  ])('checks %s', (_name, input, subject) => {
    expect(batchRowOf(input, 3, TODAY)).toMatchObject({ row: 3, subject });
  });

  it.each([
    ['nothing to check by', { name: '某公司' }, 'subject', /未填写/],
    ['both ways', { uscc: makeUscc(1), idNumber: ID }, 'uscc', /只能填写一种/],
    ['a bad USCC', { uscc: '91340100MA0000000X' }, 'uscc', /统一社会信用代码校验未通过/],
    ['an unknown 证件类型', { idType: '驾驶证', idNumber: ID }, 'idType', /证件类型无法识别/],
    ['a bad ID number', { idNumber: '340102198001010000' }, 'idNumber', /证件号码校验未通过/],
    ['not an object', 'x', 'subject', /不是一个主体/],
    ['a number where text belongs', { uscc: 5 }, 'uscc', /统一社会信用代码/],
  ])('explains a row it cannot check: %s', (_name, input, field, reason) => {
    const row = batchRowOf(input as never, 1, TODAY);
    expect(row).toMatchObject({ row: 1, field });
    expect((row as { reason: string }).reason).toMatch(reason);
    expect('subject' in row).toBe(false);
  });

  it('never shows an ID number in clear', () => {
    const row = batchRowOf({ idNumber: ID, name: '李四' }, 1, TODAY);
    expect(row.display).not.toContain(ID.slice(6, 14));
    expect(row.name).toBe('李四');
    expect(batchRowOf({ uscc: makeUscc(1) }, 1, TODAY).display).toBe(makeUscc(1));
    // an ID number typed into the USCC column: refused, and masked in the answer
    const misplaced = batchRowOf({ uscc: ID }, 1, TODAY);
    expect(misplaced).toMatchObject({ field: 'uscc', display: `${ID.slice(0, 6)}************` });
  });
});

describe('batchInputsOf', () => {
  it('finds the header row below a title, reads columns by header, skips blank rows', () => {
    expect(
      batchInputsOf([
        ['附件：投标人名单'],
        ['证件号码', '主体名称', '统一社会信用代码', '证件类型'],
        ['', '某公司', makeUscc(1), ''],
        ['', '', '', ''],
        [ID, '李四', '', '居民身份证'],
      ]),
    ).toEqual([
      { name: '某公司', uscc: makeUscc(1), idType: '', idNumber: '' },
      { name: '李四', uscc: '', idType: '居民身份证', idNumber: ID },
    ]);
  });
  it('has no rows without a header', () => {
    expect(batchInputsOf([['名称', '代码']])).toBeNull();
  });
});
