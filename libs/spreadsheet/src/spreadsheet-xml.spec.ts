import { SpreadsheetError } from './limits';
import { columnLetters, MAX_TEXT_RUN_CHARS, normalizeSpreadsheetXml, type SpreadsheetPart } from './spreadsheet-xml';

async function run(xml: string, part: SpreadsheetPart, chunk: number): Promise<string> {
  // the parser takes an AsyncIterable, as a file stream is
  // eslint-disable-next-line @typescript-eslint/require-await
  async function* chunks() {
    for (let i = 0; i < xml.length; i += chunk) yield xml.slice(i, i + chunk);
  }
  let out = '';
  for await (const s of normalizeSpreadsheetXml(chunks(), part)) out += s;
  return out;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

describe('normalizeSpreadsheetXml', () => {
  const sheet =
    `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="${MAIN}"><x:sheetData>` +
    '<x:row><x:c t="inlineStr"><x:is><x:r><x:t>安徽</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">示例 </x:t></x:r></x:is></x:c><x:c><x:v>1</x:v></x:c></x:row>' +
    '<x:row r="5"><x:c r="C5" s="1"><x:v>2</x:v></x:c><x:c/><x:c t="inlineStr"><x:is><x:t>单</x:t></x:is></x:c></x:row>' +
    '<x:row spans="1:3"><x:c><x:v>3</x:v></x:c></x:row>' +
    '</x:sheetData></x:worksheet>';
  const expected =
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns:x="${MAIN}"><sheetData>` +
    '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">安徽示例 </t></is></c><c r="B1"><v>1</v></c></row>' +
    '<row r="5"><c r="C5" s="1"><v>2</v></c><c r="D5"/><c r="E5" t="inlineStr"><is><t>单</t></is></c></row>' +
    '<row r="6" spans="1:3"><c r="A6"><v>3</v></c></row>' +
    '</sheetData></worksheet>';

  it.each([1, 2, 3, 7, 16, 1000])(
    'rewrites a worksheet identically whatever the chunking (%i chars)',
    async (chunk) => {
      expect(await run(sheet, 'worksheet', chunk)).toBe(expected);
    },
  );

  it('leaves a standard worksheet untouched', async () => {
    const plain = `<worksheet xmlns="${MAIN}"><cols><col min="1" max="2"/></cols><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`;
    expect(await run(plain, 'worksheet', 5)).toBe(plain);
  });

  it('drops phonetic runs from shared strings', async () => {
    const sst = `<sst xmlns="${MAIN}"><si><t>张三</t><rPh sb="0" eb="2"><t>ちょうさん</t></rPh><phoneticPr fontId="1"/></si></sst>`;
    for (const chunk of [1, 4, 100]) {
      expect(await run(sst, 'sharedStrings', chunk)).toBe(
        `<sst xmlns="${MAIN}"><si><t>张三</t><phoneticPr fontId="1"/></si></sst>`,
      );
    }
  });

  it('refuses text without markup past MAX_TEXT_RUN_CHARS instead of holding it whole, and passes up to it', async () => {
    const text = (length: number) =>
      `<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>${'甲'.repeat(length)}`;
    await expect(run(text(MAX_TEXT_RUN_CHARS + 1), 'worksheet', 1024 * 1024)).rejects.toEqual(
      new SpreadsheetError('文件内容异常：一段文字过长（超过 1600 万字符），无法导入', 'TOO_LARGE'),
    );
    expect((await run(`${text(MAX_TEXT_RUN_CHARS - 200)}</t>`, 'other', 1024 * 1024)).length).toBeGreaterThan(
      MAX_TEXT_RUN_CHARS - 200,
    );
  });

  it('numbers columns like Excel', () => {
    expect([1, 26, 27, 52, 703, 16384].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA', 'XFD']);
  });
});
