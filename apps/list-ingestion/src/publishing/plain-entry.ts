import { GRADES, IDENTIFICATION_LEVELS, SUBJECT_KINDS } from '@jrp/contracts';
import { ID_TYPES, isProvinceRegion, usccProblem } from '@jrp/domain';
import type { PublishEntryDto } from './dto/publish-entry.dto';

/*
 * The fast path of a bulk entry's validation (batches, imports): the rules of `PublishEntryDto` written
 * out by hand, for the entry that keeps them all. It only ever says "valid" or "ask class-validator":
 * whatever it is not sure of (a wrong type, a text whose length needs counting the way class-validator
 * counts it, an unknown field, a null) goes to `validate()`, so every field error a caller sees is still
 * class-validator's own. It must never accept what class-validator refuses: `plain-entry.spec.ts`
 * holds it to that, case by case and with generated entries.
 */

type Plain = Record<string, unknown>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;

const ENTRY_FIELDS = new Set([
  'listType',
  'subject',
  'reason',
  'decidedBy',
  'identificationLevel',
  'documentNo',
  'listedAt',
  'validUntil',
  'amount',
  'region',
  'grade',
  'notice',
]);
const SUBJECT_FIELDS = new Set(['kind', 'name', 'uscc', 'idType', 'idNumber', 'legalRepresentative']);
const REPRESENTATIVE_FIELDS = new Set(['name', 'idType', 'idNumber']);
const NOTICE_FIELDS = new Set(['servedOn', 'documentNo']);

const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

/** Only known fields: class-validator refuses the others (`forbidNonWhitelisted`). */
function onlyFields(value: Plain, known: ReadonlySet<string>): boolean {
  for (const key in value) if (!known.has(key)) return false;
  return true;
}

/**
 * `@IsString() @IsNotEmpty() @MaxLength(max)`, surely kept: class-validator counts a surrogate pair (and a
 * character with its presentation selector) as one, so a text no longer than `max` UTF-16 units is within
 * its limit whatever it holds; a longer one is left to class-validator.
 */
const text = (value: unknown, max: number): boolean => typeof value === 'string' && value !== '' && value.length <= max;

/** `@IsOptional() @IsIn(values)`, surely kept (a null, which `@IsOptional` lets through, is left to class-validator). */
const optionalIn = (value: unknown, values: readonly string[]): boolean =>
  value === undefined || (typeof value === 'string' && values.includes(value));

/** `@IsOptional() @Matches(pattern)`, surely kept. */
const optionalMatch = (value: unknown, pattern: RegExp): boolean =>
  value === undefined || (typeof value === 'string' && pattern.test(value));

function representativeKept(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isPlainObject(value) || !onlyFields(value, REPRESENTATIVE_FIELDS)) return false;
  return text(value.name, 100) && optionalIn(value.idType, ID_TYPES) && text(value.idNumber, 32);
}

function subjectKept(value: unknown): boolean {
  if (!isPlainObject(value) || !onlyFields(value, SUBJECT_FIELDS)) return false;
  const kind = value.kind;
  if (typeof kind !== 'string' || !(SUBJECT_KINDS as readonly string[]).includes(kind)) return false;
  if (!text(value.name, 200)) return false;
  // @ValidateIf(legal or present) @IsUscc()
  if ((kind === 'legal' || value.uscc !== undefined) && !(typeof value.uscc === 'string' && !usccProblem(value.uscc)))
    return false;
  if (!optionalIn(value.idType, ID_TYPES)) return false;
  // @ValidateIf(natural or present) @IsString() @IsNotEmpty() @MaxLength(32)
  if ((kind === 'natural' || value.idNumber !== undefined) && !text(value.idNumber, 32)) return false;
  return representativeKept(value.legalRepresentative);
}

function noticeKept(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isPlainObject(value) || !onlyFields(value, NOTICE_FIELDS)) return false;
  return typeof value.servedOn === 'string' && DATE.test(value.servedOn) && text(value.documentNo, 200);
}

/**
 * The entry as its DTO when it surely keeps every rule of `PublishEntryDto` (the object itself: its
 * fields are what `plainToInstance` would copy), or undefined: then class-validator decides, and names
 * the fields. Texts are expected checked already (`textErrors`). Pure.
 */
export function plainValidEntry(raw: unknown): PublishEntryDto | undefined {
  if (!isPlainObject(raw) || !onlyFields(raw, ENTRY_FIELDS)) return undefined;
  const kept =
    text(raw.listType, 64) &&
    subjectKept(raw.subject) &&
    text(raw.reason, 1000) &&
    text(raw.decidedBy, 200) &&
    optionalIn(raw.identificationLevel, IDENTIFICATION_LEVELS) &&
    text(raw.documentNo, 200) &&
    typeof raw.listedAt === 'string' &&
    DATE.test(raw.listedAt) &&
    optionalMatch(raw.validUntil, DATE) &&
    optionalMatch(raw.amount, AMOUNT) &&
    typeof raw.region === 'string' &&
    isProvinceRegion(raw.region) &&
    optionalIn(raw.grade, GRADES) &&
    noticeKept(raw.notice);
  return kept ? (raw as unknown as PublishEntryDto) : undefined;
}
