import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import fc from 'fast-check';
import { makeIdNumber, makeUscc } from '@jrp/testing';
import { PublishEntryDto } from './dto/publish-entry.dto';
import { plainValidEntry } from './plain-entry';

/** What class-validator says of an entry, as `validateEntryInput` asks it. */
async function classValidatorAccepts(raw: unknown): Promise<boolean> {
  const dto = plainToInstance(PublishEntryDto, raw);
  const errors = await validate(dto as object, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  return errors.length === 0;
}

const company = (over: Record<string, unknown> = {}, subject: Record<string, unknown> = {}) => ({
  listType: 'BL-COURT-DEBTOR',
  subject: {
    kind: 'legal',
    name: '安徽某某建设有限公司',
    uscc: makeUscc(7),
    legalRepresentative: { name: '张三', idNumber: makeIdNumber(7) },
    ...subject,
  },
  reason: '有履行能力而拒不履行',
  decidedBy: '合肥市中级人民法院',
  documentNo: '（2026）皖01执1号',
  listedAt: '2026-11-01',
  region: '340100',
  ...over,
});
const person = (over: Record<string, unknown> = {}, subject: Record<string, unknown> = {}) =>
  company(over, {
    kind: 'natural',
    uscc: undefined,
    legalRepresentative: undefined,
    idNumber: makeIdNumber(8),
    ...subject,
  });
const without = (value: Record<string, unknown>) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>; // drops the undefined fields, as JSON does

describe('plainValidEntry (the fast path of bulk validation)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a company with its legal representative', company()],
    ['a person with a resident ID', without(person())],
    ['a person with a passport', without(person({}, { idType: 'passport', idNumber: 'E12345678' }))],
    [
      'every optional field',
      company({
        identificationLevel: 'city',
        validUntil: '2029-10-31',
        amount: '1250000.50',
        grade: 'serious',
        notice: { servedOn: '2026-10-20', documentNo: '皖统告〔2026〕12号' },
      }),
    ],
    [
      'a representative with an ID type',
      company({}, { legalRepresentative: { name: '李四', idType: 'passport', idNumber: 'E1234567' } }),
    ],
    [
      'texts at their length limits',
      company({ reason: '事'.repeat(1000), decidedBy: '院'.repeat(200), documentNo: 'D'.repeat(200) }),
    ],
    ['texts of CJK extension characters (surrogate pairs) and line breaks', company({ reason: '𠀀\t事由\r\n第二行' })],
    ['a person who also has a USCC (个体工商户)', without(person({}, { uscc: makeUscc(9) }))],
  ])('takes %s', async (_, raw) => {
    expect(plainValidEntry(raw)).toBe(raw);
    expect(await classValidatorAccepts(raw)).toBe(true);
  });

  // each of these is left to class-validator: refused there (with its field error), or accepted where the
  // fast path cannot be sure without counting as it counts
  it.each<[string, unknown, boolean]>([
    ['not an object', 'text', false],
    ['an array', [company()], false],
    ['an unknown field', { ...company(), extra: 1 }, false],
    ['an unknown subject field', company({}, { extra: 1 }), false],
    [
      'an unknown representative field',
      company({}, { legalRepresentative: { name: 'a', idNumber: 'b', x: 1 } }),
      false,
    ],
    ['an unknown notice field', company({ notice: { servedOn: '2026-10-20', documentNo: 'N', x: 1 } }), false],
    ['a missing list type', without(company({ listType: undefined })), false],
    ['an empty reason', company({ reason: '' }), false],
    ['a reason too long', company({ reason: '事'.repeat(1001) }), false],
    [
      'a name of 201 surrogate pairs (402 units): class-validator counts 201',
      company({}, { name: '𠀀'.repeat(201) }),
      false,
    ],
    [
      'a name of 150 surrogate pairs (300 units): within 200 for class-validator',
      company({}, { name: '𠀀'.repeat(150) }),
      true,
    ],
    ['a number as the reason', company({ reason: 12 }), false],
    ['a bad USCC check character', company({}, { uscc: '91350100M000100Y44' }), false],
    ['a lower-case USCC', company({}, { uscc: makeUscc(7).toLowerCase() }), false],
    ['a company without USCC', without(company({}, { uscc: undefined })), false],
    ['a person without ID number', without(person({}, { idNumber: undefined })), false],
    ['an unknown subject kind', company({}, { kind: 'robot' }), false],
    ['an unknown ID type', without(person({}, { idType: 'library-card' })), false],
    ['a null ID type (IsOptional lets it through)', without(person({}, { idType: null })), true],
    ['a null grade', company({ grade: null }), true],
    ['an unknown grade', company({ grade: 'huge' }), false],
    ['an unknown level', company({ identificationLevel: 'county' }), false],
    ['a listing date with a time', company({ listedAt: '2026-11-01T00:00' }), false],
    ['a validity not a date', company({ validUntil: '2026/11/01' }), false],
    ['an amount with three decimals', company({ amount: '1.005' }), false],
    ['a numeric amount', company({ amount: 5 }), false],
    ['a region outside Anhui', company({ region: '110000' }), false],
    ['a notice that is not an object', company({ notice: 'served' }), false],
    ['a notice without its number', company({ notice: { servedOn: '2026-10-20' } }), false],
    ['a representative that is not an object', company({}, { legalRepresentative: 'someone' }), false],
    [
      'a representative with an empty ID number',
      company({}, { legalRepresentative: { name: 'a', idNumber: '' } }),
      false,
    ],
    [
      'a subject with a prototype other than Object',
      { ...company(), subject: Object.create({ kind: 'legal' }) as object },
      false,
    ],
  ])('leaves %s to class-validator', async (_, raw, accepted) => {
    expect(plainValidEntry(raw)).toBeUndefined();
    expect(await classValidatorAccepts(raw)).toBe(accepted);
  });

  it('never takes an entry that class-validator refuses (generated entries)', async () => {
    // mostly good values, so that many entries are taken, each field now and then bad in one of many ways
    const mostly = (good: unknown, ...bad: fc.Arbitrary<unknown>[]) =>
      fc.oneof({ arbitrary: fc.constant(good), weight: 12 }, ...bad.map((arbitrary) => ({ arbitrary, weight: 1 })));
    const textOf = (good: string, max: number) =>
      mostly(
        good,
        fc.constantFrom('', 12, null, undefined, '𠀀'.repeat(Math.ceil(max / 2) + 1)),
        fc.string({ maxLength: 3 }),
        fc.string({ minLength: max - 2, maxLength: max + 2 }),
      );
    const date = (good: string | undefined) =>
      mostly(good, fc.constantFrom('2026-13-01', '2026-1-1', '', 20261101, null, undefined, '2026-11-01'));
    const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
    const representative = mostly(
      { name: '张三', idNumber: makeIdNumber(3) },
      fc.constantFrom(undefined, null, 'x', []),
      fc.record(
        {
          name: textOf('李四', 100),
          idType: mostly(undefined, fc.constantFrom('passport', 'bad', null)),
          idNumber: textOf('E1234567', 32),
          x: fc.constant(1),
        },
        { requiredKeys: ['name', 'idNumber'] },
      ),
    );
    const subject = fc.record(
      {
        kind: mostly('legal', fc.constantFrom('natural', 'other', undefined, 1)),
        name: textOf('某公司', 200),
        uscc: mostly(
          makeUscc(3),
          fc.constantFrom(makeUscc(3).toLowerCase(), '91350100M000100Y44', '', undefined, null),
        ),
        idType: mostly(undefined, fc.constantFrom('resident-id', 'passport', 'x', null)),
        idNumber: mostly(undefined, fc.constantFrom(makeIdNumber(3), '', 'E1234567', 'x'.repeat(33), null)),
        legalRepresentative: representative,
        extra: mostly(undefined, fc.constant(1)),
      },
      { requiredKeys: ['kind', 'name'] },
    );
    const notice = mostly(
      undefined,
      fc.constantFrom(null, 'x'),
      fc.record(
        { servedOn: date('2026-10-20'), documentNo: textOf('N-1', 200), x: mostly(undefined, fc.constant(1)) },
        { requiredKeys: ['servedOn'] },
      ),
    );
    const entry = fc.record({
      listType: textOf('BL-COURT-DEBTOR', 64),
      subject: mostly(undefined, fc.constantFrom(null, 'subject', [])).chain((bad) =>
        bad === undefined ? subject : fc.constant(bad),
      ),
      reason: textOf('事由', 1000),
      decidedBy: textOf('法院', 200),
      identificationLevel: sometimes(fc.constantFrom('national', 'provincial', 'city', 'county', null)),
      documentNo: textOf('D-1', 200),
      listedAt: date('2026-11-01'),
      validUntil: date(undefined),
      amount: sometimes(fc.constantFrom('1', '1.5', '1.005', '-1', 1, '12345678901234567', null)),
      region: mostly('340100', fc.constantFrom('340000', '340104', '110000', '', 340100, undefined)),
      grade: sometimes(fc.constantFrom('minor', 'huge', null)),
      notice,
      other: mostly(undefined, fc.constant(1)),
    });
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(entry, async (raw) => {
        const plain = JSON.parse(JSON.stringify(raw)) as unknown; // as a request body or an import row arrives
        if (plainValidEntry(plain) === undefined) return;
        taken++;
        expect(await classValidatorAccepts(plain)).toBe(true);
      }),
      { seed: 21, numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(100); // the property was exercised on entries the fast path takes
  });
});
