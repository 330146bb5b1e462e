import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { entryScopeOf, hasRole, Principal, targetRefusal } from '@jrp/auth';
import { ID_NUMBER_CONTEXT, IdentificationLevel } from '@jrp/contracts';
import { PersonalData } from '@jrp/crypto';
import {
  IdType,
  isCalendarDate,
  maskDocument,
  normaliseIdentityDocument,
  publicationDates,
  todayInShanghai,
  WorkingDayCalendar,
} from '@jrp/domain';
import { FieldError, textErrors, toFieldErrors } from '@jrp/http';
import { Entry } from '../entries/entry';
import { KnownListType } from '../entries/list-entries.repository';
import { listingStart } from '../entries/notice';
import { PublishEntryDto } from './dto/publish-entry.dto';
import { plainValidEntry } from './plain-entry';

/**
 * Validates one raw entry against the DTO (strict: unknown fields refused; every text checked first). An
 * entry that surely keeps every rule skips class-validator (`plainValidEntry`); the others get its errors.
 */
export async function validateEntryInput(raw: unknown): Promise<{ dto: PublishEntryDto } | { errors: FieldError[] }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { errors: [{ field: '', message: 'must be an object' }] };
  const textual = textErrors(raw); // NUL, unpaired surrogates, control characters: this entry's errors
  if (textual.length) return { errors: textual };
  const plain = plainValidEntry(raw);
  if (plain) return { dto: plain };
  const dto = plainToInstance(PublishEntryDto, raw);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  return errors.length ? { errors: toFieldErrors(errors) } : { dto };
}

/** A field error (400), or what the caller may not do (403; `field` when a value is out of its reach: region, level). */
export type Refusal =
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'forbidden'; message: string; field?: 'region' | 'identificationLevel' };

/** Publishers act on the list types they identify (per the catalogue); the office on all. */
export function mayPublish(principal: Principal, listType: KnownListType | undefined): boolean {
  if (hasRole(principal, 'office')) return true;
  return hasRole(principal, 'publisher') && listType?.identifyingOrganization === principal.organization.code;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

/**
 * Turns a valid DTO into the entry it describes (version 1, active; `noticed` on a notice-first list type
 * until its department decides, see `listingStart`): identifiers normalised and
 * checked by type, ID numbers encrypted and masked, the subject keyed, defaults filled in. Pure apart
 * from encryption; refuses what the DTO alone cannot judge.
 */
export function prepareEntry(
  dto: PublishEntryDto,
  listType: KnownListType | undefined,
  principal: Principal,
  personalData: PersonalData,
  calendar: WorkingDayCalendar,
  today: string = todayInShanghai(),
): { entry: Entry } | Refusal {
  if (!listType)
    return { kind: 'invalid', errors: [{ field: 'listType', message: `unknown list type ${dto.listType}` }] };
  if (!mayPublish(principal, listType))
    return { kind: 'forbidden', message: `${principal.organization.code} does not identify ${listType.code} entries` };
  const level: IdentificationLevel =
    dto.identificationLevel ??
    (principal.organization.level === 'city' || principal.organization.level === 'county' ? 'city' : 'provincial');
  // a city office publishes in its city at the city level only (entryScopeOf)
  const outOfReach = targetRefusal(entryScopeOf(principal), { region: dto.region, identificationLevel: level });
  if (outOfReach) return { kind: 'forbidden', ...outOfReach };
  const errors: FieldError[] = [];
  if (!listType.subjectKinds.includes(dto.subject.kind)) {
    errors.push({ field: 'subject.kind', message: `${listType.code} does not list ${dto.subject.kind} subjects` });
  }
  const subjectDoc =
    dto.subject.idNumber !== undefined
      ? document(dto.subject.idType ?? 'resident-id', dto.subject.idNumber, 'subject.idNumber', errors)
      : null;
  const rep = dto.subject.legalRepresentative;
  const repDoc = rep
    ? document(rep.idType ?? 'resident-id', rep.idNumber, 'subject.legalRepresentative.idNumber', errors)
    : null;
  if (dto.subject.kind === 'natural' && rep)
    errors.push({ field: 'subject.legalRepresentative', message: 'a natural person has no legal representative' });
  if (dto.validUntil && dto.validUntil < dto.listedAt)
    errors.push({ field: 'validUntil', message: 'validUntil must not be before listedAt' });
  for (const field of ['listedAt', 'validUntil'] as const)
    if (dto[field] !== undefined && !isCalendarDate(dto[field]))
      errors.push({ field, message: `${field} is not a calendar date` });
  if (errors.length) return { kind: 'invalid', errors };
  // the grade and its dates under the list type's rule set (信用修复管理办法 2025); the entry's own
  // validity ends publication earlier, the list type's default validity does not
  const dates = publicationDates(
    {
      grades: listType.grades,
      defaultGrade: listType.defaultGrade,
      listedAt: dto.listedAt,
      validUntil: dto.validUntil ?? null,
      grade: dto.grade,
    },
    calendar,
  );
  if ('field' in dates) errors.push(dates);
  // notice before listing (告知, 国办发〔2020〕49号) on notice-first list types
  const start = listingStart(listType.procedure, dto.notice, {
    today,
    listedAt: dto.listedAt,
    publishedBy: principal.organization.code,
    calendar,
  });
  if ('field' in start) errors.push(start);
  if (errors.length || 'field' in dates || 'field' in start) return { kind: 'invalid', errors };
  // a graded entry without its own validity is valid while it is published; an ungraded one by the list type's default
  const validUntil =
    dto.validUntil ??
    (dates.grade
      ? dates.publicUntil
      : listType.defaultValidityDays
        ? addDays(dto.listedAt, listType.defaultValidityDays - 1)
        : null);

  return {
    entry: {
      id: randomUUID(),
      version: 1,
      listType: listType.code,
      status: start.status,
      disputed: false,
      subjectKey: personalData.subjectKey(
        dto.subject.kind,
        dto.subject.kind === 'legal' ? dto.subject.uscc! : subjectDoc!.value,
      ),
      subjectKind: dto.subject.kind,
      subjectName: dto.subject.name.trim(),
      subjectUscc: dto.subject.kind === 'legal' ? dto.subject.uscc! : (dto.subject.uscc ?? null),
      subjectIdType: subjectDoc?.idType ?? null,
      subjectIdNumberEncrypted: subjectDoc ? personalData.encrypt(subjectDoc.value, ID_NUMBER_CONTEXT.subject) : null,
      subjectIdNumberMasked: subjectDoc ? maskDocument(subjectDoc.idType, subjectDoc.value) : null,
      legalRepName: rep?.name.trim() ?? null,
      legalRepIdType: repDoc?.idType ?? null,
      legalRepIdNumberEncrypted: repDoc
        ? personalData.encrypt(repDoc.value, ID_NUMBER_CONTEXT.legalRepresentative)
        : null,
      legalRepIdNumberMasked: repDoc ? maskDocument(repDoc.idType, repDoc.value) : null,
      reason: dto.reason,
      decidedBy: dto.decidedBy,
      identificationLevel: level,
      documentNo: dto.documentNo.trim(),
      listedAt: dto.listedAt,
      validUntil,
      amount: dto.amount ? Number(dto.amount).toFixed(2) : null,
      region: dto.region,
      publishedBy: principal.organization.code,
      commitment: null,
      training: null,
      grade: dates.grade,
      publicUntil: dates.publicUntil,
      repairableFrom: dates.repairableFrom,
      notice: start.notice,
      statementDeadline: start.statementDeadline,
      statement: null,
      decision: start.decision,
    },
  };
}

function document(
  idType: IdType,
  value: string,
  field: string,
  errors: FieldError[],
): { idType: IdType; value: string } | null {
  const result = normaliseIdentityDocument(idType, value);
  if ('problem' in result) {
    errors.push({ field, message: `${field.split('.').pop()} ${result.problem}` });
    return null;
  }
  return { idType, value: result.value };
}
