import { maskPersonalData } from './personal-data-mask';

describe('maskPersonalData', () => {
  it('masks ID numbers and mobile numbers, nothing else', () => {
    expect(maskPersonalData('法定代表人张三（11010519491231002X，电话13812345678）于2026年11月履行，金额12000元')).toBe(
      '法定代表人张三（110105************，电话138****5678）于2026年11月履行，金额12000元',
    );
  });
  it('leaves a unified social credit code alone', () =>
    expect(maskPersonalData('91350100M000100Y43')).toBe('91350100M000100Y43'));
});
