import { makeIdNumber, makeUscc } from '@jrp/testing';
import { actsAsPortal, portalIdentityOf } from './portal-identity';

const USCC = makeUscc(1);
const ID = makeIdNumber(1);
const principal = (roles: string[]) =>
  ({ organization: { code: 'X', name: 'x', level: 'province', region: '340000' }, roles, tokenId: 't' }) as never;

describe('portal filings name the subject and the document number', () => {
  it.each([
    [
      'a legal subject',
      { subject: { uscc: USCC.toLowerCase() }, documentNo: ' 皖统罚〔2026〕1号 ' },
      { kind: 'legal', identifier: USCC, documentNo: '皖统罚〔2026〕1号' },
    ],
    [
      'a natural person (resident-id by default)',
      { subject: { idNumber: ID }, documentNo: 'D1' },
      { kind: 'natural', identifier: ID, documentNo: 'D1' },
    ],
    [
      'a natural person, type named',
      { subject: { idType: 'passport' as const, idNumber: 'e1234567' }, documentNo: 'D1' },
      { kind: 'natural', identifier: 'E1234567', documentNo: 'D1' },
    ],
  ])('accepts %s', (_what, input, identity) => {
    expect(portalIdentityOf(input)).toEqual(identity);
  });

  it.each([
    ['no subject', { documentNo: 'D1' }, ['subject']],
    ['no document number', { subject: { uscc: USCC } }, ['documentNo']],
    ['both ways', { subject: { uscc: USCC, idNumber: ID }, documentNo: 'D1' }, ['subject.uscc']],
    ['a bad USCC', { subject: { uscc: '91340100MA2N0X1A2X' }, documentNo: 'D1' }, ['subject.uscc']],
    [
      'a bad ID number',
      { subject: { idNumber: ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1') }, documentNo: 'D1' },
      ['subject.idNumber'],
    ],
    [
      'an idType without a number',
      { subject: { idType: 'passport' as const }, documentNo: '' },
      ['subject.idNumber', 'documentNo'],
    ],
  ])('refuses %s with field errors that never echo the number', (_what, input, fields) => {
    const result = portalIdentityOf(input);
    expect(Array.isArray(result)).toBe(true);
    expect((result as { field: string }[]).map((e) => e.field)).toEqual(fields);
    expect(JSON.stringify(result)).not.toContain(ID.slice(6, 14));
  });

  it.each([
    [['portal'], true],
    [['portal', 'office'], false],
    [['portal', 'publisher'], false],
    [['office'], false],
    [['implementer'], false],
  ])('roles %j act as the portal: %s', (roles, expected) => {
    expect(actsAsPortal(principal(roles))).toBe(expected);
  });
});
