import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { toFieldErrors } from '@jrp/http';
import { idNumberCheckCharacter } from '@jrp/domain';
import { CheckDto } from './dto/check.dto';
import { subjectIdentifierOf } from './subject-identifier';

const USCC = '91350100M000100Y43';
const ID = '11010519491231002X';

async function errorsOf(body: object) {
  const dto = plainToInstance(CheckDto, body);
  return toFieldErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }));
}

const check = (subject: object, extra: object = {}) => ({
  subject,
  businessType: '行政许可',
  reference: 'XK-1',
  ...extra,
});

describe('a check’s subject, validated as list-ingestion validates identifiers', () => {
  it.each([
    ['a legal subject by USCC', { uscc: USCC }],
    ['a natural person by resident ID (idType by default)', { idNumber: ID }],
    ['a natural person by resident ID', { idType: 'resident-id', idNumber: ID }],
    ['a natural person by passport', { idType: 'passport', idNumber: 'e 1234 5678' }],
  ])('accepts %s', async (_, subject) => {
    expect(await errorsOf(check(subject))).toEqual([]);
  });

  it.each<[string, object, object, { field: string; message: string }[]]>([
    [
      'no identifier',
      {},
      {},
      [
        {
          field: 'subject.uscc',
          message: 'uscc is required for a legal subject (a natural person: idType and idNumber)',
        },
      ],
    ],
    [
      'a USCC with a wrong check character',
      { uscc: '91350100M000100Y44' },
      {},
      [{ field: 'subject.uscc', message: 'uscc check character does not match (GB 32100)' }],
    ],
    [
      'both a USCC and an ID number',
      { uscc: USCC, idNumber: ID },
      {},
      [{ field: 'subject.uscc', message: 'uscc must not be given with idType or idNumber: name the subject one way' }],
    ],
    [
      'an ID number with a wrong check character',
      { idNumber: '110105194912310021' },
      {},
      [{ field: 'subject.idNumber', message: 'idNumber check character does not match (GB 11643)' }],
    ],
    [
      'an ID type without a number',
      { idType: 'passport' },
      {},
      [{ field: 'subject.idNumber', message: 'idNumber is required with idType' }],
    ],
    [
      'an unknown ID type',
      { idType: 'library-card', idNumber: ID },
      {},
      [{ field: 'subject.idType', message: expect.stringContaining('idType must be one of resident-id') as string }],
    ],
    [
      'an unknown field in the subject',
      { uscc: USCC, name: 'x' },
      {},
      [{ field: 'subject.name', message: 'is not a known field' }],
    ],
    [
      'an empty business type',
      { uscc: USCC },
      { businessType: '' },
      [{ field: 'businessType', message: 'businessType must not be empty' }],
    ],
    [
      'a blank reference',
      { uscc: USCC },
      { reference: ' ' },
      [{ field: 'reference', message: 'reference must not be empty or start or end with spaces' }],
    ],
  ])('refuses %s, field by field', async (_, subject, extra, errors) => {
    const found = await errorsOf(check(subject, extra));
    expect(found).toEqual(errors);
  });

  it('refuses a check without a subject', async () => {
    expect(await errorsOf({ businessType: 'x', reference: 'y' })).toEqual([
      { field: 'subject', message: 'subject is required' },
    ]);
  });

  it('keys the identifier exactly as publishing does: 15-digit resident IDs upgraded, passports without spaces, upper case', () => {
    const upgraded = '34010219800101001'; // 340102 800101 001, born 1980
    expect(subjectIdentifierOf({ idNumber: '340102800101001' })).toEqual({
      kind: 'natural',
      identifier: upgraded + idNumberCheckCharacter(upgraded),
      idType: 'resident-id',
    });
    expect(subjectIdentifierOf({ idType: 'passport', idNumber: 'e 1234 5678' })).toEqual({
      kind: 'natural',
      identifier: 'E12345678',
      idType: 'passport',
    });
    expect(subjectIdentifierOf({ idNumber: ID.toLowerCase() }).identifier).toBe(ID);
    expect(subjectIdentifierOf({ uscc: USCC })).toEqual({ kind: 'legal', identifier: USCC, idType: null });
  });
});
