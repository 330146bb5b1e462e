import * as iconv from 'iconv-lite';
import { detectCsvEncoding } from './csv-encoding';

describe('detectCsvEncoding', () => {
  const text = '名单类型,主体类别,主体名称\n失信被执行人名单,法人,安徽示例建设有限公司\n';

  it('takes valid UTF-8 as UTF-8, with or without BOM, and pure ASCII too', () => {
    expect(detectCsvEncoding(Buffer.from(text, 'utf8'))).toBe('utf8');
    expect(detectCsvEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]))).toBe('utf8');
    expect(detectCsvEncoding(Buffer.from('a,b\n1,2\n'))).toBe('utf8');
    expect(detectCsvEncoding(Buffer.alloc(0))).toBe('utf8');
  });

  it('still takes UTF-8 when the sample ends in the middle of a character', () => {
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut <= bytes.length; cut++) expect(detectCsvEncoding(bytes.subarray(0, cut))).toBe('utf8');
  });

  it('does not excuse an incomplete character at the end of a whole file', () => {
    const bytes = Buffer.from(text, 'utf8');
    expect(detectCsvEncoding(bytes, { whole: true })).toBe('utf8');
    expect(detectCsvEncoding(bytes.subarray(0, 2), { whole: true })).toBe('gb18030'); // 名 is three bytes
    // ASCII, then 涓 in GBK (E4 B8), which is also the start of a three-byte UTF-8 character
    const gbkEnding = Buffer.concat([Buffer.from('a,b\n1,'), iconv.encode('涓', 'gb18030')]);
    expect(detectCsvEncoding(gbkEnding)).toBe('utf8');
    expect(detectCsvEncoding(gbkEnding, { whole: true })).toBe('gb18030');
  });

  it('takes GB18030 (GBK) bytes as GB18030', () => {
    const gb = iconv.encode(text, 'gb18030');
    expect(gb.equals(Buffer.from(text, 'utf8'))).toBe(false);
    expect(detectCsvEncoding(gb)).toBe('gb18030');
    // famous pitfall: 联通 in GBK (C1 AA CD A8) looks like UTF-8 two-byte pairs but is overlong
    expect(detectCsvEncoding(iconv.encode('联通', 'gb18030'))).toBe('gb18030');
    // characters outside GBK use GB18030 four-byte sequences
    expect(detectCsvEncoding(iconv.encode('主体名称,𠀀', 'gb18030'))).toBe('gb18030');
  });

  it('does not excuse an invalid byte in the middle of the sample', () => {
    const bytes = Buffer.concat([Buffer.from('名单', 'utf8'), Buffer.from([0xe5]), Buffer.from('类型', 'utf8')]);
    expect(detectCsvEncoding(bytes)).toBe('gb18030');
  });
});
