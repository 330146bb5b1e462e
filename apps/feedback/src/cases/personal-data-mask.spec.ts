import { maskPersonalData } from './personal-data-mask';

const people = { names: ['张三', '欧阳娜娜'] };

describe('maskPersonalData: what a published case shows', () => {
  it.each([
    // ID numbers, plain and written in groups
    ['身份证号11010519491231002X。', '身份证号110105************。'],
    ['身份证号 3401 0419 9001 0112 34 已核实', '身份证号 340104************ 已核实'],
    ['证件号码340104-19900101-1234', '证件号码340104************'],
    ['证件号码340104 19900101 1234', '证件号码340104************'],
    // phone numbers
    ['电话13812345678', '电话138****5678'],
    ['电话 138-1234-5678', '电话 138****5678'],
    ['电话 138 1234 5678', '电话 138****5678'],
    ['电话+86 13812345678', '电话+86 138****5678'],
    ['座机0551-65123456', '座机0551-****3456'],
    ['座机(0551)6512345', '座机(0551)****2345'],
    // street addresses
    ['住合肥市蜀山区长江西路123号', '住合肥市蜀山区长江西路***号'],
    ['住长江西路123号2栋301室，', '住长江西路***号，'],
    ['位于芜湖市中山北街8号之一', '位于芜湖市中山北街***号'],
    ['住肥西县花岗镇王庄村3组', '住肥西县花岗镇王庄村*组'],
    ['住肥东县某某村十二组25号', '住肥东县某某村*组'],
    ['住淮南路五十六号', '住淮南路***号'],
    // the names the case's entry holds
    ['法定代表人张三于2026年11月履行', '法定代表人张*于2026年11月履行'],
    ['被执行人欧阳娜娜、张三', '被执行人欧***、张*'],
    // all at once
    [
      '法定代表人张三（身份证号3401 0419 9001 0112 34，电话13812345678，住长江西路123号）已履行',
      '法定代表人张*（身份证号340104************，电话138****5678，住长江西路***号）已履行',
    ],
    // what stays
    ['统一社会信用代码91350100M000100Y43', '统一社会信用代码91350100M000100Y43'],
    ['（2026）皖01执123号，金额120万元，2026-11-05', '（2026）皖01执123号，金额120万元，2026-11-05'],
    ['李四主动履行', '李四主动履行'], // a name the entry does not hold
    ['安徽某某建设有限公司被限制参与政府采购', '安徽某某建设有限公司被限制参与政府采购'],
  ])('%s → %s', (text, published) => expect(maskPersonalData(text, people)).toBe(published));

  it('masks only patterns when no names are known, and changes nothing already masked', () => {
    const once = maskPersonalData('张三 13812345678 长江西路123号 110105194912310021');
    expect(once).toBe('张三 138****5678 长江西路***号 110105************');
    expect(maskPersonalData(once, people)).toBe('张* 138****5678 长江西路***号 110105************');
    expect(maskPersonalData(maskPersonalData(once, people), people)).toBe(maskPersonalData(once, people));
  });

  it('ignores names of one character and blank ones', () =>
    expect(maskPersonalData('张 某 三', { names: ['张', ' ', ''] })).toBe('张 某 三'));
});
