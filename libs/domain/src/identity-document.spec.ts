import { validate } from 'class-validator';
import {
  ID_TYPE_LABELS,
  ID_TYPES,
  IdType,
  IsIdType,
  isIdType,
  maskDocument,
  normaliseIdentityDocument,
} from './identity-document';

const TODAY = new Date('2026-11-28T00:00:00Z');
const ok = (type: IdType, input: string) => normaliseIdentityDocument(type, input, TODAY);

describe('identity documents', () => {
  it('labels every type', () => {
    expect(Object.keys(ID_TYPE_LABELS).sort()).toEqual([...ID_TYPES].sort());
    expect(ID_TYPE_LABELS['resident-id']).toBe('居民身份证');
    expect(ID_TYPE_LABELS.passport).toBe('护照');
  });

  describe('resident-id', () => {
    it.each([
      ['11010519491231002X', '11010519491231002X'],
      [' 11010519491231002x ', '11010519491231002X'],
      ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
      ['\u3000340104198001010012\u3000', '340104198001010012'],
    ])('normalises %j', (input, value) => expect(ok('resident-id', input)).toEqual({ value }));

    it.each([
      ['340104800101001', '340104198001010012'],
      ['340104800101008', '34010419800101008X'],
      ['１１０１０５４９１２３１００２', '11010519491231002X'],
    ])('upgrades the legacy 15-digit number %s', (input, value) => expect(ok('resident-id', input)).toEqual({ value }));

    it.each([
      ['810000199001011230', 'Hong Kong residence permit'],
      ['820000198512310045', 'Macao residence permit'],
      ['830000200002290023', 'Taiwan residence permit'],
    ])('accepts %s (%s)', (input) => expect(ok('resident-id', input)).toEqual({ value: input }));

    it.each([
      ['110105194912310021', 'check character'],
      ['11010519491331002X', 'not a real date'],
      ['11010520991231002X', 'future'],
      ['340104800230001', 'not a real date'],
      ['34010480010100X', 'all digits'],
      ['1101051949123100', '18 characters'],
      ['934156198803150017', 'foreign permanent residence'],
      ['040104198001010016', 'start with 1–8'],
      ['', 'empty'],
    ])('rejects %j (%s)', (input, reason) =>
      expect(ok('resident-id', input)).toEqual({ problem: expect.stringContaining(reason) as string }),
    );
  });

  describe('hk-macao-permit', () => {
    it.each([
      ['H12345678', 'H12345678'],
      ['m1234567801', 'M1234567801'],
      ['Ｈ１２３４５６７８', 'H12345678'],
    ])('accepts %s', (input, value) => expect(ok('hk-macao-permit', input)).toEqual({ value }));
    it.each(['12345678', 'H1234567', 'H123456789', 'C12345678', 'H 12345678'])('rejects %s', (input) =>
      expect(ok('hk-macao-permit', input)).toHaveProperty('problem'),
    );
  });

  describe('taiwan-permit', () => {
    it.each(['12345678', '1234567801'])('accepts %s', (input) =>
      expect(ok('taiwan-permit', input)).toEqual({ value: input }),
    );
    it.each(['1234567', '123456789', 'T12345678', '12345678901'])('rejects %s', (input) =>
      expect(ok('taiwan-permit', input)).toHaveProperty('problem'),
    );
  });

  describe('foreign-permanent-residence', () => {
    it.each([
      ['usa340680101001', 'USA340680101001'],
      ['934156198803150017', '934156198803150017'],
      ['93415619880315005x', '93415619880315005X'],
    ])('accepts %s', (input, value) => expect(ok('foreign-permanent-residence', input)).toEqual({ value }));
    it.each([
      ['934156198803150018', 'check character'],
      ['934156198802300015', 'not a real date'],
      ['934156202701010019', 'future'],
      ['340104198001010012', 'start with 9'],
      ['US1340680101001', '2004 format'],
      ['USA34068010100', '2004 format'],
    ])('rejects %s (%s)', (input, reason) =>
      expect(ok('foreign-permanent-residence', input)).toEqual({ problem: expect.stringContaining(reason) as string }),
    );
  });

  describe('passport', () => {
    it.each([
      ['e12345678', 'E12345678'],
      [' EA 123 4567 ', 'EA1234567'],
      ['ＧＢ１２３４５', 'GB12345'],
    ])('accepts %j', (input, value) => expect(ok('passport', input)).toEqual({ value }));
    it.each(['E123', 'E1234-5678', 'ABCDEFGHIJKLMNOPQR', 'É12345678'])('rejects %s', (input) =>
      expect(ok('passport', input)).toHaveProperty('problem'),
    );
  });

  it('rejects an unknown type', () => {
    expect(normaliseIdentityDocument('driving-licence' as IdType, 'X')).toEqual({ problem: 'unknown document type' });
  });

  describe('masking', () => {
    it('keeps the first six characters of a resident ID', () =>
      expect(maskDocument('resident-id', '11010519491231002X')).toBe('110105************'));
    it.each([
      ['hk-macao-permit', 'H12345678', 'H1*****78'],
      ['taiwan-permit', '1234567801', '12******01'],
      ['foreign-permanent-residence', '934156198803150017', '93**************17'],
      ['passport', 'E12345678', 'E1*****78'],
      ['passport', 'E1234', 'E1*34'],
      ['passport', 'E123', '****'],
    ] as const)('%s %s → %s', (type, value, masked) => expect(maskDocument(type, value)).toBe(masked));
  });

  describe('IsIdType', () => {
    class Dto {
      @IsIdType() idType: string;
    }
    const check = (idType: string) => validate(Object.assign(new Dto(), { idType }));

    it('accepts every type', async () => {
      for (const type of ID_TYPES) expect(await check(type)).toHaveLength(0);
    });
    it('rejects anything else', async () => expect(await check('id-card')).toHaveLength(1));
    it('has a type guard', () => {
      expect(isIdType('passport')).toBe(true);
      expect(isIdType('toString')).toBe(false);
    });
  });
});
