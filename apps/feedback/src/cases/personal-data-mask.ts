import { redactIdNumbers } from '@jrp/crypto';
import { maskPersonName } from '@jrp/domain';

/** Mobile numbers, also written in groups: 13812345678, 138-1234-5678, 138 1234 5678, +86 138… */
const MOBILE = /(?<![0-9A-Za-z])((?:\+?86[ -]?)?1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])/g;
/** Fixed lines with their area code: 0551-12345678, (0551)1234567, 0551 6512 3456. */
const LANDLINE = /(?<![0-9A-Za-z])(\(?0\d{2,3}\)?[ -]?)(\d{3,4})[ -]?(\d{4})(?![0-9A-Za-z])/g;
/** Numbers as addresses write them: Arabic, full-width or Chinese numerals. */
const NUMBER = '[0-9０-９一二三四五六七八九十百千零〇两]+';
/** A street address below the district: the house number of a road or street, and what follows it. */
const STREET = new RegExp(
  `(路|街|大道|大街|巷|弄)(${NUMBER})(号|弄)((?:之${NUMBER})?(?:附?${NUMBER}(?:号|栋|幢|座|单元|层|楼|室|户))*)`,
  'g',
);
/** A rural address: the villagers' group (村民小组) of a village, and a house number after it. */
const VILLAGE = new RegExp(`(村|庄|屯|寨)(?:民)?(${NUMBER})(组|队)((?:${NUMBER}(?:号|户))*)`, 'g');

/** The people a case may name: the subject when a natural person, the legal representative. */
export interface PersonalNames {
  names: readonly string[];
}

/**
 * Masks the personal data a case's free text may carry, for publication (案例公示). Pure.
 * - ID numbers, plain or written in groups with spaces or dashes ("3401 0419 9001 0112 34",
 *   "340104-19900101-1234"): their first 6 characters, then asterisks, as everywhere.
 * - Phone numbers: mobiles as 138****5678 (grouped or with +86 too), fixed lines as 0551-****5678.
 * - Street addresses: the house number of a road or street and what follows it (长江西路123号2栋301室 →
 *   长江西路***号), a village's group (王庄村3组 → 王庄村*组).
 * - The people the case's entry names (the subject when a natural person, the legal representative):
 *   each name of two characters or more, wherever it stands, as its first character then asterisks
 *   (张三 → 张*).
 */
export function maskPersonalData(text: string, people: PersonalNames = { names: [] }): string {
  let masked = redactIdNumbers(text)
    .replace(MOBILE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string, _mid: string, tail: string) => `${area}****${tail}`)
    .replace(STREET, (_m, road: string, _number: string, unit: string) => `${road}***${unit === '弄' ? '弄' : '号'}`)
    .replace(VILLAGE, (_m, village: string, _number: string, group: string) => `${village}*${group}`);
  const names = [...new Set(people.names.map((n) => n.trim()).filter((n) => [...n].length >= 2))];
  // longer names first, so 欧阳娜娜 is masked whole before a shorter name inside it
  for (const name of names.sort((a, b) => b.length - a.length)) masked = masked.split(name).join(maskPersonName(name));
  return masked;
}
