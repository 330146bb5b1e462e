import ExcelJS from 'exceljs';
import { csvCells, findIdNumbers, isFormulaCell, scanForIdNumbers, xlsxCells } from './personal-data-scan';
import { makeIdNumber, makeUscc } from './identifiers';

const ID = makeIdNumber(1); // a valid resident ID number
const spaced = `${ID.slice(0, 4)} ${ID.slice(4, 8)} ${ID.slice(8, 12)} ${ID.slice(12, 16)} ${ID.slice(16)}`;
const dashed = `${ID.slice(0, 6)}-${ID.slice(6, 14)}-${ID.slice(14)}`;

describe('the personal-data sweep finds what it must', () => {
  it.each([
    ['plain', `证件号${ID}。`],
    ['in groups of four, with spaces', `身份证号 ${spaced}，电话`],
    ['region-birth-sequence, with dashes', `证件号码：${dashed}`],
    ['after a JSON line break', JSON.stringify({ msg: `subject\n${ID}` })],
    ['in a JSON value', JSON.stringify({ legalRepresentative: { idNumber: ID } })],
    ['lower-case x', `id ${makeIdNumber(3).toLowerCase()} `],
    ['with a wrong check character but a real birth date', '340102-19800101-0199'],
    ['in a CSV line', `2,失信被执行人名单,,"${spaced}",拒不履行`],
    ['followed by other digits after a space', `${ID} 2026`],
  ])('finds an ID number %s', (_, text) => {
    expect(findIdNumbers(text)).toHaveLength(1);
    const leaks = scanForIdNumbers([{ source: 'sample', text }]);
    expect(leaks.map((l) => l.source)).toEqual(['sample']);
    expect(leaks[0].context).toContain(leaks[0].found.split(' ')[0]);
  });

  it.each([
    ['a masked one', `${ID.slice(0, 6)}************`],
    ['a USCC', makeUscc(12)],
    ['an all-digit USCC whose middle reads as a birth date', '913401198001010910'],
    ['a UUID', '12345678-1234-4123-8123-123456789012'],
    ['a timestamp', '2026-11-05 12:30:00.123 1735689600123'],
    ['phone numbers', '13812345678 13912345678, 0551-65123456'],
    ['a longer number', `${ID}7`],
    ['a number inside a token', `ab${ID}`],
    ['neither a check character nor a birth date', '123456-12345678-9012'],
  ])('finds nothing in %s', (_, text) => expect(findIdNumbers(text)).toEqual([]));

  it('flags cells a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+86', '-2', '@SUM(A1)', '\tx'].every(isFormulaCell)).toBe(true);
    expect(["'=1+1", '安徽', 'a-b', ''].some(isFormulaCell)).toBe(false);
    const cells = csvCells(Buffer.from(`\ufeffa,"=HYPERLINK(""x"")"\r\n${ID},'-1\r\n`, 'utf8'));
    expect(cells).toEqual(['a', '=HYPERLINK("x")', ID, "'-1"]);
    expect(cells.filter(isFormulaCell)).toEqual(['=HYPERLINK("x")']);
  });

  it('reads every XLSX cell, with formulas marked', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('s');
    sheet.addRow(['标题', ID, 3]);
    sheet.getCell('D1').value = { formula: 'SUM(C1:C1)', result: 3 };
    const cells = await xlsxCells(Buffer.from(await book.xlsx.writeBuffer()));
    expect(cells.map((c) => [c.address, c.text, c.formula])).toEqual([
      ['s!A1', '标题', false],
      ['s!B1', ID, false],
      ['s!C1', '3', false],
      ['s!D1', '=SUM(C1:C1)', true],
    ]);
    expect(scanForIdNumbers(cells.map((c) => ({ source: c.address, text: c.text }))).map((l) => l.source)).toEqual([
      's!B1',
    ]);
  });
});
