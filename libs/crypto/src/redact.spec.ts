import { containsIdNumber, hasValidCheckDigit, idNumberCheckDigit, redactIdNumbers } from './redact';

// Valid check digits (GB 11643 examples and a computed one).
const VALID_X = '11010519491231002X';
const VALID_1880 = '440524188001010014'; // valid check digit, birth year outside 19xx/20xx
const VALID = '110101199003074477';
// Plausible birth date, wrong check digit (the right one would be 3).
const BAD_CHECK = '110101199003071234';
// Neither: "1234-56-78" is not a date and the check digit is wrong.
const RANDOM = '123456123456789012';
const LEGACY = '320311770706001'; // 15 digits, born 1977-07-06

const masked = (id: string) => id.slice(0, 6) + '*'.repeat(id.length - 6);

describe('GB 11643 check digit', () => {
  it('computes and validates the check character', () => {
    expect(idNumberCheckDigit('11010519491231002')).toBe('X');
    expect(idNumberCheckDigit('44052418800101001')).toBe('4');
    expect(hasValidCheckDigit(VALID_X)).toBe(true);
    expect(hasValidCheckDigit(VALID_X.toLowerCase())).toBe(true);
    expect(hasValidCheckDigit(VALID_1880)).toBe(true);
    expect(hasValidCheckDigit(BAD_CHECK)).toBe(false);
    expect(hasValidCheckDigit(RANDOM)).toBe(false);
    expect(hasValidCheckDigit('1101051949123100')).toBe(false);
    expect(() => idNumberCheckDigit('123')).toThrow();
  });
});

describe('redactIdNumbers', () => {
  it('masks valid numbers, keeping the first 6 characters and the length', () => {
    expect(redactIdNumbers(`id ${VALID_X} and ${VALID}`)).toBe(`id 110105************ and 110101************`);
    expect(redactIdNumbers(VALID_X.toLowerCase())).toBe('110105************');
  });

  it('masks a valid check digit OR a plausible birth date, and leaves other digit runs alone', () => {
    expect(redactIdNumbers(VALID_1880)).toBe(masked(VALID_1880));
    expect(redactIdNumbers(BAD_CHECK)).toBe(masked(BAD_CHECK));
    expect(redactIdNumbers(RANDOM)).toBe(RANDOM);
    expect(redactIdNumbers('110101199013071234')).toBe('110101199013071234'); // month 13, wrong check digit
    expect(redactIdNumbers('110101199003321234')).toBe('110101199003321234'); // day 32, wrong check digit
  });

  it('masks plausible 15-digit legacy numbers', () => {
    expect(redactIdNumbers(`old card ${LEGACY}.`)).toBe(`old card 320311*********.`);
    expect(redactIdNumbers('320311771306001')).toBe('320311771306001'); // month 13
  });

  it('only masks whole tokens', () => {
    for (const text of [
      `${VALID}0`,
      `0${VALID}`,
      `a${VALID}`,
      `${VALID}b`,
      `${LEGACY}0`,
      `${VALID.slice(0, 16)}`,
      `${VALID}XX`,
    ]) {
      expect(redactIdNumbers(text)).toBe(text);
    }
    expect(redactIdNumbers(`证件号${VALID}，已核验`)).toBe(`证件号${masked(VALID)}，已核验`);
    expect(redactIdNumbers(`subject_${VALID}_x`)).toBe(`subject_${masked(VALID)}_x`);
  });

  it('scrubs JSON log lines', () => {
    const line = JSON.stringify({
      level: 'info',
      msg: `matched subject ${VALID_X}\n${VALID}`,
      subject: { idNumber: VALID_X.toLowerCase(), legacy: LEGACY, orderNo: RANDOM },
      ids: [VALID_1880],
      ts: 1735689600123,
    });
    const scrubbed = redactIdNumbers(line);
    for (const id of [VALID_X, VALID_X.toLowerCase(), VALID, VALID_1880, LEGACY]) expect(scrubbed).not.toContain(id);
    const parsed = JSON.parse(scrubbed) as Record<string, unknown>;
    expect(parsed.msg).toBe(`matched subject ${masked(VALID_X)}\n${masked(VALID)}`);
    expect(parsed.subject).toEqual({ idNumber: '110105************', legacy: masked(LEGACY), orderNo: RANDOM });
    expect(parsed.ids).toEqual([masked(VALID_1880)]);
    expect(parsed.ts).toBe(1735689600123);
  });

  it('handles numbers right after a \\uXXXX escape and leaves text without candidates unchanged', () => {
    expect(redactIdNumbers(`"\\u00a0${VALID}"`)).toBe(`"\\u00a0${masked(VALID)}"`);
    const text = 'no numbers here, only 12345 and 2024-01-01';
    expect(redactIdNumbers(text)).toBe(text);
    expect(redactIdNumbers('')).toBe('');
  });
});

describe('redactIdNumbers on numbers written in groups', () => {
  // VALID = 110101199003074477
  it.each([
    ['spaces, 4 by 4', '1101 0119 9003 0744 77'],
    ['dashes, region-birth-sequence', '110101-19900307-4477'],
    ['spaces, region-birth-sequence', '110101 19900307 4477'],
    ['mixed separators', '1101-0119 9003-0744 77'],
    ['ideographic space and full-width dash', '110101\u300019900307\uff0d4477'],
    ['no-break spaces', '110101\u00a019900307\u00a04477'],
  ])('masks %s as the 18-character masked form', (_, grouped) => {
    expect(redactIdNumbers(`证件号${grouped}，已核验`)).toBe(`证件号${masked(VALID)}，已核验`);
    expect(redactIdNumbers(`id: ${grouped}`)).toBe(`id: ${masked(VALID)}`);
    expect(containsIdNumber(grouped)).toBe(true);
  });

  it('masks a grouped number with a plausible birth date but a wrong check digit, as the plain form', () => {
    expect(redactIdNumbers('110101-19900307-1234')).toBe(masked(BAD_CHECK));
    expect(containsIdNumber('110101-19900307-1234')).toBe(false);
  });

  it('masks grouped numbers inside JSON log lines', () => {
    const line = JSON.stringify({ msg: `subject\n1101 0119 9003 0744 77`, note: 'x 110101-19900307-4477' });
    expect(redactIdNumbers(line)).not.toMatch(/4477/);
    expect((JSON.parse(redactIdNumbers(line)) as { note: string }).note).toBe(`x ${masked(VALID)}`);
  });

  it('leaves dates, times, phone lists, longer groups and non-ID runs alone', () => {
    for (const text of [
      '2026-11-05 12:30:00',
      '13812345678 13912345678',
      '1101 0119 9003 0744 77 12', // part of a longer run of groups
      '9 1101 0119 9003 0744 77',
      '1234-5612-3456-7890-12', // neither a check digit nor a birth date
      '1101  0119 9003 0744 77', // two separators in a row
      'a1101 0119 9003 0744 77',
    ]) {
      expect(redactIdNumbers(text)).toBe(text);
    }
  });

  it('still masks a plain number followed by other digits after a space', () => {
    expect(redactIdNumbers(`${VALID} 2026`)).toBe(`${masked(VALID)} 2026`);
  });
});

describe('containsIdNumber', () => {
  it('requires a valid check digit for 18-character candidates', () => {
    expect(containsIdNumber(`{"id":"${VALID_X}"}`)).toBe(true);
    expect(containsIdNumber(VALID_1880)).toBe(true);
    expect(containsIdNumber(BAD_CHECK)).toBe(false);
    expect(containsIdNumber(RANDOM)).toBe(false);
    expect(containsIdNumber(`${VALID}1`)).toBe(false);
  });

  it('accepts 15-digit candidates with a plausible date', () => {
    expect(containsIdNumber(`legacy ${LEGACY}`)).toBe(true);
    expect(containsIdNumber('320311771306001')).toBe(false);
  });

  it('is consistent with redactIdNumbers: what it finds gets masked', () => {
    for (let i = 0; i < 2000; i++) {
      const digits = Array.from({ length: 17 }, () => Math.floor(Math.random() * 10)).join('');
      const text = `x ${digits}${idNumberCheckDigit(digits)} y`;
      expect(containsIdNumber(text)).toBe(true);
      expect(containsIdNumber(redactIdNumbers(text))).toBe(false);
    }
  });
});
