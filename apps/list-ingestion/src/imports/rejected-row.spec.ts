import { makeIdNumber, makeUscc } from '@jrp/testing';
import { maskRejectedCell, maskRejectedValues } from './rejected-row';

const ID = makeIdNumber(7); // 340102198001010077-like, valid
const grouped = (id: string) => `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;

describe('rejected import rows keep no identity number in clear', () => {
  it.each([
    ['idNumber', ID, `${ID.slice(0, 6)}************`],
    ['idNumber', grouped(ID), `${ID.slice(0, 6)}************`],
    ['idNumber', '340102-19800101-1234', '340102************'], // wrong check digit: masked all the same
    ['idNumber', '3401021980', '34******80'], // too short for an ID number: masked as another document
    ['idNumber', 'E12345678', 'E1*****78'], // a passport
    ['idNumber', 'E 1234 5678', 'E1*****78'],
    ['legalRepresentativeIdNumber', ID.toLowerCase(), `${ID.slice(0, 6)}************`],
    ['uscc', makeUscc(3), makeUscc(3)], // a USCC is not personal: it stays
    ['uscc', ID, `${ID.slice(0, 6)}************`], // an ID number in the USCC column
    ['uscc', '91350100M000100Y44', '91350100M000100Y44'], // an invalid USCC is still no ID number
    ['subjectName', grouped(ID), `${ID.slice(0, 6)}************`],
    ['subjectName', '3401-0219-8001-0199-99', '340102************'], // looks like one, though invalid
    ['reason', `法定代表人身份证号${ID}，拒不履行`, `法定代表人身份证号${ID.slice(0, 6)}************，拒不履行`],
    ['reason', `证件 ${grouped(ID)} 已核验`, `证件 ${ID.slice(0, 6)}************ 已核验`],
    ['documentNo', '（2026）皖01执123号', '（2026）皖01执123号'],
    ['listedAt', '2026-11-01', '2026-11-01'],
    ['region', '340100', '340100'],
    ['subjectName', '=HYPERLINK("x")', '=HYPERLINK("x")'], // formulas are the CSV writer's concern
  ])('%s %j is kept as %j', (key, value, kept) => expect(maskRejectedCell(key, value)).toBe(kept));

  it('masks a whole row, cell by cell, and leaves out nothing', () => {
    const row = { subjectName: '张三', idType: '居民身份证', idNumber: ID, region: '999999' };
    expect(maskRejectedValues(row)).toEqual({ ...row, idNumber: `${ID.slice(0, 6)}************` });
  });
});
