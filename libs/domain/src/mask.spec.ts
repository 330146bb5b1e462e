import { looksLikeIdNumber, maskIdNumber, maskIdNumberLike, maskPersonName } from './mask';

describe('masking', () => {
  it.each([
    ['110101199003074477', '110101************'],
    ['11010519491231002X', '110105************'],
    ['E1234', '*****'],
    ['123456', '******'],
  ])('maskIdNumber(%s) = %s', (value, masked) => expect(maskIdNumber(value)).toBe(masked));

  it.each([
    ['110101199003074477', true],
    ['1101 0119 9003 0744 77', true],
    ['110101-19900307-4477', true],
    ['110101199003071234', true], // a wrong check digit still looks like one
    ['11010519491231002x', true],
    ['320311770706001', true], // 15 digits, first-generation card
    ['91340100MA2N000040', false], // a USCC
    ['E12345678', false],
    ['1101011990030744', false],
    ['2026-11-05', false],
    ['', false],
  ])('looksLikeIdNumber(%s) is %s', (value, expected) => expect(looksLikeIdNumber(value)).toBe(expected));

  it.each([
    ['1101 0119 9003 0744 77', '110101************'],
    ['110101-19900307-4477', '110101************'],
    ['110101199003074477', '110101************'],
  ])('maskIdNumberLike(%s) = %s', (value, masked) => expect(maskIdNumberLike(value)).toBe(masked));

  it.each([
    ['张三', '张*'],
    ['李小龙', '李**'],
    ['欧阳娜娜', '欧***'],
    [' 王五 ', '王*'],
    ['张', '*'],
    ['', ''],
  ])('maskPersonName(%s) = %s', (name, masked) => expect(maskPersonName(name)).toBe(masked));
});
